package org.opencodemcp.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.opencodemcp.server.config.EnvironmentDefaults;
import org.opencodemcp.server.config.JobSettings;
import org.opencodemcp.server.config.ServerOptions;
import org.opencodemcp.server.config.Settings;
import org.opencodemcp.server.jobs.JobLedger;
import org.opencodemcp.server.jobs.JobStoreException;
import org.opencodemcp.server.logging.StderrLogging;
import org.opencodemcp.server.registry.InstanceRegistry;
import org.opencodemcp.server.registry.RegistryDirectory;
import org.opencodemcp.server.threads.DaemonThreads;
import org.opencodemcp.server.tools.Cancellations;
import org.opencodemcp.server.tools.LogLevels;
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
import picocli.CommandLine.Mixin;

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
    /** SLF4J's own property (2.0.9+): the backend's class, found without a scan */
    static final String SLF4J_PROVIDER_PROPERTY = "slf4j.provider";
    /** SLF4J's own property: the least level of its own start-up messages shown */
    static final String SLF4J_VERBOSITY_PROPERTY = "slf4j.internal.verbosity";

    static {
        // SLF4J finds its backend with a ServiceLoader scan of the jar, ~10 ms of a cold start: name it instead
        // (before the first logger, below), and keep SLF4J from saying so on stderr at every start (its
        // warnings and errors still show). What the command line sets wins.
        if (System.getProperty(SLF4J_PROVIDER_PROPERTY) == null) {
            System.setProperty(SLF4J_PROVIDER_PROPERTY, StderrLogging.class.getName());
            if (System.getProperty(SLF4J_VERBOSITY_PROPERTY) == null) {
                System.setProperty(SLF4J_VERBOSITY_PROPERTY, "WARN");
            }
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    /** Every option, its environment variable and default: the one owner of configuration. */
    @Mixin
    ServerOptions options = new ServerOptions();

    private final Map<String, String> env;

    Main(Map<String, String> env) {
        this.env = env;
    }

    public static void main(String[] args) {
        if (args.length == 0) {
            // How MCP clients start us: no options to parse, so skip picocli (see ServerOptions.applyEnvironment).
            int code = runWithoutArguments();
            if (code != 0) {
                System.exit(code);
            }
            return;
        }
        CommandLine cli = new CommandLine(new Main(System.getenv()));
        cli.setDefaultValueProvider(EnvironmentDefaults.provider(System.getenv()));
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
        Main main = new Main(System.getenv());
        try {
            main.options.applyEnvironment(main.env);
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
        Settings settings = options.settings(env);
        JobSettings jobs = options.jobSettings(env);
        ToolProfile profile = ToolProfile.parse(options.tools());
        String untrusted = RegistryDirectory.prepare(settings.registryDir());
        if (untrusted != null) {
            System.err.println("opencode-mcp: " + untrusted);
            return 2;
        }
        if (options.httpMode()) {
            return serveHttp(settings, jobs, profile);
        }
        // From here stdin's first line is read: an initialize request is answered once the checks have passed,
        // while the rest is built (the mapper alone takes ~30 ms of a cold JVM: Jackson's date format).
        StdioTransport stdio = StdioTransport.open(OpenCodeMcpServer.identity(profile));
        ObjectMapper json;
        InstanceRegistry registry;
        JobLedger ledger;
        try {
            JobLedger.check(jobs); // the jobs file: exit 2 before anything is answered
            stdio.checksPassed();
            json = OpenCodeMcpServer.objectMapper();
            registry = OpenCodeMcpServer.newRegistry(settings, json);
            ledger = OpenCodeMcpServer.newLedger(registry, jobs); // checks the file again: changed since, exit 2
        } catch (JobStoreException e) {
            System.err.println("opencode-mcp: " + e.getMessage());
            return 2;
        }
        Cancellations cancellations = new Cancellations();
        SubscriptionGate subscriptions = new SubscriptionGate(registry);
        LogLevels logLevels = new LogLevels();
        var transport = stdio.provider(UnknownToolNaming.mapper(json), json, () -> exitSoon(registry), cancellations,
                subscriptions, logLevels);
        OpenCodeMcpServer.serveThenStartRegistry(registry, ledger, json, transport, profile, cancellations, subscriptions,
                logLevels);
        // The registry (scan, probes, HTTP client warm-up) starts and the jobs store (SQLite driver, native
        // library, migrations) opens once the server is built and has written its first answer (tools/list's,
        // usually: initialize was answered early), or after a second if no client speaks, or at the first tool
        // call that needs them: no answer waits for work it does not need. A store that fails to open still
        // ends the process with exit 2 and the file and fix, a moment later.
        Runnable afterInitialize = () -> {
            ledger.openStore();
            registry.start();
        };
        stdio.afterFirstAnswer(afterInitialize);
        CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS).execute(afterInitialize);
        LOG.info("opencode-mcp {} serving stdio; registry {}", Version.get(), settings.registryDir());
        return 0;
    }

    /** HTTP mode; the transport classes (and Jetty) load only here. Returns 2 on a configuration error. */
    private int serveHttp(Settings settings, JobSettings jobs, ToolProfile profile) throws IOException {
        long t0 = System.nanoTime();
        HttpMode mode;
        try {
            ObjectMapper json = OpenCodeMcpServer.objectMapper();
            mode = HttpMode.start(options.httpSettings(env), settings.sendWait(), json,
                    OpenCodeMcpServer.forHttp(settings, jobs, json, profile));
        } catch (HttpConfigException | JobStoreException e) {
            System.err.println("opencode-mcp: " + e.getMessage());
            return 2;
        }
        LOG.info("opencode-mcp {} serving Streamable HTTP on {} (started in {} ms); registry {}", Version.get(), mode.url(),
                (System.nanoTime() - t0) / 1_000_000, settings.registryDir());
        return 0;
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
        DaemonThreads.thread("exit-on-eof", () -> {
            try {
                Thread.sleep(30);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            LOG.info("stdin closed; exiting");
            System.exit(0);
        }).start();
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
