package org.opencodemcp.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.opencodemcp.server.config.EnvironmentDefaults;
import org.opencodemcp.server.config.Settings;
import org.opencodemcp.server.jobs.JobSettings;
import org.opencodemcp.server.jobs.JobStoreException;
import org.opencodemcp.server.opencode.Credentials;
import org.opencodemcp.server.registry.InstanceRegistry;
import org.opencodemcp.server.registry.RegistryDirectory;
import org.opencodemcp.server.tools.Cancellations;
import org.opencodemcp.server.tools.SubscriptionGate;
import org.opencodemcp.server.tools.ToolProfile;
import org.opencodemcp.server.transport.HttpConfigException;
import org.opencodemcp.server.transport.HttpMode;
import org.opencodemcp.server.transport.StdioTransport;
import org.opencodemcp.server.transport.UnknownToolNaming;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code opencode-mcp}: the MCP server. Options mirror the environment variables; options win. */
@Command(name = "opencode-mcp", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "MCP server that finds the OpenCode instances registered in a directory (by opencode-connected,",
            "usually over SSH reverse tunnels) and lets an AI assistant drive them.",
            "",
            "Serves MCP on stdin/stdout (logs go to stderr), or with --http as Streamable HTTP on /mcp",
            "(bearer token required). Every option can also be set by the environment variable shown in brackets.",
        },
        footer = {
            "",
            "Examples:",
            "  opencode-mcp                                   # stdio, registry /tmp/opencode-relay",
            "  RELAY_REGISTRY_DIR=/srv/relay opencode-mcp",
            "  claude mcp add opencode -- /path/to/scripts/opencode-mcp",
            "  MCP_BEARER_TOKEN_FILE=~/.config/opencode-mcp/token opencode-mcp --http 127.0.0.1:8080",
            "",
            "Each instance's password comes from <name>.auth beside its registration (opencode-connected writes it).",
            "Instances without one (older connectors): set OPENCODE_SERVER_PASSWORD (never pass it as an",
            "argument) or --password-file; the user name is 'opencode' unless OPENCODE_SERVER_USERNAME is set.",
        })
public final class Main implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    @Option(names = "--registry-dir", paramLabel = "DIR", defaultValue = "${env:RELAY_REGISTRY_DIR:-/tmp/opencode-relay}",
            description = "Directory of registration files [RELAY_REGISTRY_DIR] (default: ${DEFAULT-VALUE})")
    Path registryDir;

    @Option(names = "--discovery-interval-ms", paramLabel = "MS", defaultValue = "${env:DISCOVERY_INTERVAL_MS:-30000}",
            description = "Safety-net rescan period; the directory watcher sees changes at once [DISCOVERY_INTERVAL_MS] (default: ${DEFAULT-VALUE})")
    long discoveryIntervalMs;

    @Option(names = "--health-timeout-ms", paramLabel = "MS", defaultValue = "${env:HEALTH_CHECK_TIMEOUT_MS:-3000}",
            description = "Timeout of each health/identity probe [HEALTH_CHECK_TIMEOUT_MS] (default: ${DEFAULT-VALUE})")
    long healthTimeoutMs;

    @Option(names = "--prune-after-ms", paramLabel = "MS", defaultValue = "${env:PRUNE_AFTER_MS:-600000}",
            description = "Delete a registration only after it has been unreachable this long AND its heartbeat is this old [PRUNE_AFTER_MS] (default: ${DEFAULT-VALUE})")
    long pruneAfterMs;

    @Option(names = "--request-timeout-ms", paramLabel = "MS", defaultValue = "${env:OPENCODE_REQUEST_TIMEOUT_MS:-30000}",
            description = "Timeout of ordinary OpenCode API calls [OPENCODE_REQUEST_TIMEOUT_MS] (default: ${DEFAULT-VALUE})")
    long requestTimeoutMs;

    @Option(names = "--send-wait-seconds", paramLabel = "S", defaultValue = "${env:SEND_WAIT_SECONDS:-50}",
            description = "How long a synchronous send_message waits before answering 'still running' [SEND_WAIT_SECONDS] (default: ${DEFAULT-VALUE})")
    long sendWaitSeconds;

    @Option(names = "--username", paramLabel = "USER", defaultValue = "${env:OPENCODE_SERVER_USERNAME:-opencode}",
            description = "Basic-auth user for OpenCode servers [OPENCODE_SERVER_USERNAME] (default: ${DEFAULT-VALUE})")
    String username;

    @Option(names = "--password-file", paramLabel = "FILE", defaultValue = "${env:OPENCODE_SERVER_PASSWORD_FILE}",
            description = "File holding the OpenCode server password [OPENCODE_SERVER_PASSWORD_FILE]; or set OPENCODE_SERVER_PASSWORD")
    Path passwordFile;

    @Option(names = "--tools", paramLabel = "PROFILE", defaultValue = "${env:TOOLS:-full}",
            description = "Which tools clients see: full (every tool), simple (only instances, send, read, as the original"
                    + " server), all (both) [TOOLS] (default: ${DEFAULT-VALUE})")
    String tools;

    @Option(names = "--http", arity = "0..1", fallbackValue = "", paramLabel = "[HOST:]PORT",
            description = "Serve Streamable HTTP instead of stdio. The address comes only from this value or HTTP_BIND"
                    + " (HOST is not used), default 127.0.0.1; the port from here, HTTP_BIND or PORT, default 8080."
                    + " A bearer token is required (MCP_BEARER_TOKEN or --token-file)")
    String http;

    @Option(names = "--allow-remote",
            description = "Allow --http on a non-loopback address. Plain HTTP carries the token and prompts in clear:"
                    + " use it only behind a TLS-terminating proxy or on a private network")
    boolean allowRemote;

    @Option(names = "--session-idle-ms", paramLabel = "MS", defaultValue = "${env:HTTP_SESSION_IDLE_MS:-1800000}",
            description = "HTTP: close an MCP session unused this long (no request, no open stream) [HTTP_SESSION_IDLE_MS] (default: ${DEFAULT-VALUE})")
    long sessionIdleMs;

    @Option(names = "--mcp-path", paramLabel = "PATH", defaultValue = "${env:MCP_PATH:-/mcp}",
            description = "HTTP path of the MCP endpoint [MCP_PATH] (default: ${DEFAULT-VALUE})")
    String mcpPath;

    @Option(names = "--token-file", paramLabel = "FILE", defaultValue = "${env:MCP_BEARER_TOKEN_FILE}",
            description = "File holding the bearer token HTTP clients must send [MCP_BEARER_TOKEN_FILE]; or set MCP_BEARER_TOKEN")
    Path tokenFile;

    @Option(names = "--allowed-hosts", paramLabel = "LIST", defaultValue = "${env:ALLOWED_HOSTS}",
            description = "Extra Host header values accepted, comma-separated: name, name:port, name:* or * [ALLOWED_HOSTS]."
                    + " Loopback names on the bound port are always accepted")
    String allowedHosts;

    @Option(names = "--allowed-origins", paramLabel = "LIST", defaultValue = "${env:ALLOWED_ORIGINS}",
            description = "Extra Origin values accepted, comma-separated: scheme://host[:port], scheme://host:* or * [ALLOWED_ORIGINS]."
                    + " Requests without Origin (non-browser clients) are not affected")
    String allowedOrigins;

    @Option(names = "--jobs-db", paramLabel = "FILE", defaultValue = "${env:JOBS_DB}",
            description = "SQLite file of the jobs ledger (every prompt sent, its state and result) [JOBS_DB]"
                    + " (default: $XDG_STATE_HOME or ~/.local/state, then opencode-mcp/jobs.db; :memory: keeps no jobs on disk)")
    String jobsDb;

    @Option(names = "--jobs-keep-days", paramLabel = "DAYS", defaultValue = "${env:JOBS_KEEP_DAYS:-30}",
            description = "Delete jobs created longer ago [JOBS_KEEP_DAYS] (default: ${DEFAULT-VALUE})")
    long jobsKeepDays;

    @Option(names = "--jobs-store-text", paramLabel = "true|false", defaultValue = "${env:JOBS_STORE_TEXT:-true}",
            description = "false: keep ids, states and figures only, no prompt or answer text [JOBS_STORE_TEXT] (default: ${DEFAULT-VALUE})")
    String jobsStoreText;

    public static void main(String[] args) {
        if (args.length == 0) {
            // How MCP clients start us: no options to parse, so skip picocli (see EnvironmentDefaults).
            int code = runWithoutArguments();
            if (code != 0) {
                System.exit(code);
            }
            return;
        }
        CommandLine cli = new CommandLine(new Main());
        cli.setUsageHelpWidth(100);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof IllegalArgumentException || e instanceof IOException) { // a bad value or file: say which
                cmd.getErr().println("opencode-mcp: " + e.getMessage() + " (see opencode-mcp --help)");
                return 2;
            }
            throw e;
        });
        int code = cli.execute(args);
        if (code != 0) {
            System.exit(code);
        }
        // Success: the stdio transport's threads keep the process alive until stdin closes.
    }

    private static int runWithoutArguments() {
        Main main = new Main();
        try {
            EnvironmentDefaults.apply(main, System.getenv());
            return main.call();
        } catch (EnvironmentDefaults.BadSetting | IllegalArgumentException e) {
            System.err.println("opencode-mcp: " + e.getMessage() + " (see opencode-mcp --help)");
            return 2;
        } catch (IOException e) {
            System.err.println("opencode-mcp: " + e.getMessage());
            return 2;
        }
    }

    @Override
    public Integer call() throws IOException {
        Settings settings = settings();
        ToolProfile profile = ToolProfile.parse(tools);
        String untrusted = RegistryDirectory.prepare(settings.registryDir());
        if (untrusted != null) {
            System.err.println("opencode-mcp: " + untrusted);
            return 2;
        }
        if (http != null) {
            return serveHttp(settings, profile);
        }
        ObjectMapper json = OpenCodeMcpServer.objectMapper();
        InstanceRegistry registry = OpenCodeMcpServer.newRegistry(settings, json);
        Cancellations cancellations = new Cancellations();
        SubscriptionGate subscriptions = new SubscriptionGate(registry);
        // The registry (scan, probes, HTTP client warm-up) starts once initialize is answered, or after a
        // second if no client speaks: the answer does not wait for work it does not need.
        var transport = StdioTransport.create(UnknownToolNaming.mapper(json), json, () -> exitSoon(registry), cancellations,
                subscriptions, registry::start);
        try {
            OpenCodeMcpServer.serveThenStartRegistry(registry, jobSettings(), json, transport, profile, cancellations, subscriptions);
        } catch (JobStoreException e) {
            System.err.println("opencode-mcp: " + e.getMessage());
            return 2;
        }
        CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS).execute(registry::start);
        LOG.info("opencode-mcp {} serving stdio; registry {}", Version.get(), settings.registryDir());
        return 0;
    }

    /** HTTP mode; the transport classes (and Jetty) load only here. Returns 2 on a configuration error. */
    private int serveHttp(Settings settings, ToolProfile profile) throws IOException {
        long t0 = System.nanoTime();
        HttpMode mode;
        try {
            mode = HttpMode.start(settings, jobSettings(), profile, http, mcpPath, tokenFile, allowedHosts, allowedOrigins, allowRemote,
                    Duration.ofMillis(positive("--session-idle-ms", sessionIdleMs)));
        } catch (HttpConfigException | JobStoreException e) {
            System.err.println("opencode-mcp: " + e.getMessage());
            return 2;
        }
        LOG.info("opencode-mcp {} serving Streamable HTTP on {} (started in {} ms); registry {}", Version.get(), mode.url(),
                (System.nanoTime() - t0) / 1_000_000, settings.registryDir());
        return 0;
    }

    Settings settings() throws IOException {
        String password = System.getenv("OPENCODE_SERVER_PASSWORD");
        if (passwordFile != null) {
            try {
                password = Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the password file " + passwordFile + " ("
                        + e.getClass().getSimpleName() + ")", e);
            }
        }
        Credentials credentials = password == null || password.isEmpty() ? null : new Credentials(username, password);
        return new Settings(registryDir.toAbsolutePath().normalize(),
                Duration.ofMillis(positive("--discovery-interval-ms", discoveryIntervalMs)),
                Duration.ofMillis(positive("--health-timeout-ms", healthTimeoutMs)),
                Duration.ofMillis(positive("--prune-after-ms", pruneAfterMs)),
                Duration.ofMillis(positive("--request-timeout-ms", requestTimeoutMs)),
                Duration.ofSeconds(positive("--send-wait-seconds", sendWaitSeconds)),
                credentials);
    }

    JobSettings jobSettings() {
        return JobSettings.of(jobsDb, jobsKeepDays, jobsStoreText, System.getenv());
    }

    private static long positive(String option, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(option + " must be positive, got " + value);
        }
        return value;
    }

    /**
     * stdin closed: the client is gone. First, at once (the JVM may end by itself as soon as the
     * transport's threads finish), stop the threads that sit in native code: the JVM waits up to 300 ms
     * for them at exit (plans/performance.md). Then give the writer a moment to flush and leave.
     */
    private static void exitSoon(InstanceRegistry registry) {
        try {
            registry.closeForExit();
        } catch (RuntimeException e) {
            LOG.debug("closing before exit", e);
        }
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(30);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            LOG.info("stdin closed; exiting");
            System.exit(0);
        }, "exit-on-eof");
        t.setDaemon(true);
        t.start();
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            // The launcher (scripts/opencode-mcp) says which JDK it picked and which class cache it runs with.
            String runtime = System.getProperty("opencode.mcp.runtime");
            if (runtime == null) {
                runtime = "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.home") + ")";
            }
            return new String[] {"opencode-mcp " + Version.get(), "runtime: " + runtime,
                "class cache: " + System.getProperty("opencode.mcp.cache", "none (started without the launcher)")};
        }
    }
}
