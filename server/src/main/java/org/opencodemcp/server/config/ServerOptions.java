package org.opencodemcp.server.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.opencodemcp.server.opencode.Credentials;
import picocli.CommandLine.Option;

/**
 * The one owner of the server's configuration: every option with its environment variable and
 * default ({@code ${env:NAME:-default}}, names from {@link EnvVars}, defaults from {@link Settings}),
 * resolved in one order (option, then environment, then default; {@link EnvironmentDefaults}), checked,
 * and turned into {@link Settings}, {@link JobSettings} and {@link HttpSettings}. The secrets come only from the environment
 * or a file, never from an argument.
 */
public final class ServerOptions {
    // Each option's fallback, ${env:NAME:-default}: written once, used by its @Option and by applyEnvironment.
    private static final String REGISTRY_DIR = "${env:" + EnvVars.REGISTRY_DIR + ":-" + Settings.DEFAULT_REGISTRY_DIR + "}";
    private static final String DISCOVERY_INTERVAL_MS = "${env:" + EnvVars.DISCOVERY_INTERVAL_MS + ":-" + Settings.DEFAULT_DISCOVERY_INTERVAL_MS + "}";
    private static final String HEALTH_TIMEOUT_MS = "${env:" + EnvVars.HEALTH_CHECK_TIMEOUT_MS + ":-" + Settings.DEFAULT_HEALTH_CHECK_TIMEOUT_MS + "}";
    private static final String PRUNE_AFTER_MS = "${env:" + EnvVars.PRUNE_AFTER_MS + ":-" + Settings.DEFAULT_PRUNE_AFTER_MS + "}";
    private static final String REQUEST_TIMEOUT_MS = "${env:" + EnvVars.REQUEST_TIMEOUT_MS + ":-" + Settings.DEFAULT_REQUEST_TIMEOUT_MS + "}";
    private static final String SEND_WAIT_SECONDS = "${env:" + EnvVars.SEND_WAIT_SECONDS + ":-" + Settings.DEFAULT_SEND_WAIT_SECONDS + "}";
    private static final String USERNAME = "${env:" + EnvVars.USERNAME + ":-" + Settings.DEFAULT_USERNAME + "}";
    private static final String PASSWORD_FILE = "${env:" + EnvVars.PASSWORD_FILE + "}";
    private static final String TOOLS = "${env:" + EnvVars.TOOLS + ":-" + Settings.DEFAULT_TOOLS + "}";
    private static final String SESSION_IDLE_MS = "${env:" + EnvVars.HTTP_SESSION_IDLE_MS + ":-" + Settings.DEFAULT_HTTP_SESSION_IDLE_MS + "}";
    private static final String MCP_PATH = "${env:" + EnvVars.MCP_PATH + ":-" + Settings.DEFAULT_MCP_PATH + "}";
    private static final String TOKEN_FILE = "${env:" + EnvVars.BEARER_TOKEN_FILE + "}";
    private static final String ALLOWED_HOSTS = "${env:" + EnvVars.ALLOWED_HOSTS + "}";
    private static final String ALLOWED_ORIGINS = "${env:" + EnvVars.ALLOWED_ORIGINS + "}";
    private static final String JOBS_DB = "${env:" + EnvVars.JOBS_DB + "}";
    private static final String JOBS_KEEP_DAYS = "${env:" + EnvVars.JOBS_KEEP_DAYS + ":-" + JobSettings.DEFAULT_KEEP_DAYS + "}";
    private static final String JOBS_STORE_TEXT = "${env:" + EnvVars.JOBS_STORE_TEXT + ":-" + JobSettings.DEFAULT_STORE_TEXT + "}";

    @Option(names = "--registry-dir", paramLabel = "DIR",
            defaultValue = REGISTRY_DIR,
            description = "Directory of registration files [" + EnvVars.REGISTRY_DIR + "] (default: ${DEFAULT-VALUE})")
    Path registryDir;

    @Option(names = "--discovery-interval-ms", paramLabel = "MS",
            defaultValue = DISCOVERY_INTERVAL_MS,
            description = "Safety-net rescan period; the directory watcher sees changes at once [" + EnvVars.DISCOVERY_INTERVAL_MS
                    + "] (default: ${DEFAULT-VALUE})")
    long discoveryIntervalMs;

    @Option(names = "--health-timeout-ms", paramLabel = "MS",
            defaultValue = HEALTH_TIMEOUT_MS,
            description = "Timeout of each health/identity probe [" + EnvVars.HEALTH_CHECK_TIMEOUT_MS + "] (default: ${DEFAULT-VALUE})")
    long healthTimeoutMs;

    @Option(names = "--prune-after-ms", paramLabel = "MS",
            defaultValue = PRUNE_AFTER_MS,
            description = "Delete a registration only after it has been unreachable this long AND its heartbeat is this old ["
                    + EnvVars.PRUNE_AFTER_MS + "] (default: ${DEFAULT-VALUE})")
    long pruneAfterMs;

    @Option(names = "--request-timeout-ms", paramLabel = "MS",
            defaultValue = REQUEST_TIMEOUT_MS,
            description = "Timeout of ordinary OpenCode API calls [" + EnvVars.REQUEST_TIMEOUT_MS + "] (default: ${DEFAULT-VALUE})")
    long requestTimeoutMs;

    @Option(names = "--send-wait-seconds", paramLabel = "S",
            defaultValue = SEND_WAIT_SECONDS,
            description = "How long a synchronous send_message waits before answering 'still running' [" + EnvVars.SEND_WAIT_SECONDS
                    + "] (default: ${DEFAULT-VALUE})")
    long sendWaitSeconds;

    @Option(names = "--username", paramLabel = "USER",
            defaultValue = USERNAME,
            description = "Basic-auth user for OpenCode servers [" + EnvVars.USERNAME + "] (default: ${DEFAULT-VALUE})")
    String username;

    @Option(names = "--password-file", paramLabel = "FILE", defaultValue = PASSWORD_FILE,
            description = "File holding the OpenCode server password [" + EnvVars.PASSWORD_FILE + "]; or set " + EnvVars.PASSWORD)
    Path passwordFile;

    @Option(names = "--tools", paramLabel = "PROFILE", defaultValue = TOOLS,
            description = "Which tools clients see: full (every tool), simple (only instances, send, read, as the original"
                    + " server), all (both) [" + EnvVars.TOOLS + "] (default: ${DEFAULT-VALUE})")
    String tools;

    @Option(names = "--http", arity = "0..1", fallbackValue = "", paramLabel = "[HOST:]PORT",
            description = "Serve Streamable HTTP instead of stdio. The address comes only from this value or " + EnvVars.HTTP_BIND
                    + " (HOST is not used), default 127.0.0.1; the port from here, " + EnvVars.HTTP_BIND + " or " + EnvVars.PORT
                    + ", default 8080. A bearer token is required (" + EnvVars.BEARER_TOKEN + " or --token-file)")
    String http;

    @Option(names = "--allow-remote",
            description = "Allow --http on a non-loopback address. Plain HTTP carries the token and prompts in clear:"
                    + " use it only behind a TLS-terminating proxy or on a private network")
    boolean allowRemote;

    @Option(names = "--session-idle-ms", paramLabel = "MS",
            defaultValue = SESSION_IDLE_MS,
            description = "HTTP: close an MCP session unused this long (no request, no open stream) [" + EnvVars.HTTP_SESSION_IDLE_MS
                    + "] (default: ${DEFAULT-VALUE})")
    long sessionIdleMs;

    @Option(names = "--mcp-path", paramLabel = "PATH",
            defaultValue = MCP_PATH,
            description = "HTTP path of the MCP endpoint [" + EnvVars.MCP_PATH + "] (default: ${DEFAULT-VALUE})")
    String mcpPath;

    @Option(names = "--token-file", paramLabel = "FILE", defaultValue = TOKEN_FILE,
            description = "File holding the bearer token HTTP clients must send [" + EnvVars.BEARER_TOKEN_FILE + "]; or set "
                    + EnvVars.BEARER_TOKEN)
    Path tokenFile;

    @Option(names = "--allowed-hosts", paramLabel = "LIST", defaultValue = ALLOWED_HOSTS,
            description = "Extra Host header values accepted, comma-separated: name, name:port, name:* or * [" + EnvVars.ALLOWED_HOSTS
                    + "]. Loopback names on the bound port are always accepted")
    String allowedHosts;

    @Option(names = "--allowed-origins", paramLabel = "LIST", defaultValue = ALLOWED_ORIGINS,
            description = "Extra Origin values accepted, comma-separated: scheme://host[:port], scheme://host:* or * ["
                    + EnvVars.ALLOWED_ORIGINS + "]. Requests without Origin (non-browser clients) are not affected")
    String allowedOrigins;

    @Option(names = "--jobs-db", paramLabel = "FILE", defaultValue = JOBS_DB,
            description = "SQLite file of the jobs ledger (every prompt sent, its state and result) [" + EnvVars.JOBS_DB + "]"
                    + " (default: $" + EnvVars.XDG_STATE_HOME + " or ~/.local/state, then opencode-mcp/jobs.db; " + JobSettings.MEMORY
                    + " keeps no jobs on disk)")
    String jobsDb;

    @Option(names = "--jobs-keep-days", paramLabel = "DAYS",
            defaultValue = JOBS_KEEP_DAYS,
            description = "Delete jobs created longer ago [" + EnvVars.JOBS_KEEP_DAYS + "] (default: ${DEFAULT-VALUE})")
    long jobsKeepDays;

    @Option(names = "--jobs-store-text", paramLabel = "true|false",
            defaultValue = JOBS_STORE_TEXT,
            description = "false: keep ids, states and figures only, no prompt or answer text [" + EnvVars.JOBS_STORE_TEXT
                    + "] (default: ${DEFAULT-VALUE})")
    String jobsStoreText;

    /**
     * Fills every option from {@code env} or its default, as picocli does when no argument is given, but
     * without picocli or reflection: that is how MCP clients start the server, often once per
     * connection, and reading the annotations made a proxy class per annotation type at every start
     * (about 30 ms). MainSettingsTest checks that both ways give every field the same value.
     *
     * @throws EnvironmentDefaults.BadSetting a variable that is not a whole number where one is needed
     */
    public void applyEnvironment(Map<String, String> env) {
        registryDir = EnvironmentDefaults.path(REGISTRY_DIR, env, registryDir);
        discoveryIntervalMs = EnvironmentDefaults.number(DISCOVERY_INTERVAL_MS, env, discoveryIntervalMs);
        healthTimeoutMs = EnvironmentDefaults.number(HEALTH_TIMEOUT_MS, env, healthTimeoutMs);
        pruneAfterMs = EnvironmentDefaults.number(PRUNE_AFTER_MS, env, pruneAfterMs);
        requestTimeoutMs = EnvironmentDefaults.number(REQUEST_TIMEOUT_MS, env, requestTimeoutMs);
        sendWaitSeconds = EnvironmentDefaults.number(SEND_WAIT_SECONDS, env, sendWaitSeconds);
        username = EnvironmentDefaults.text(USERNAME, env, username);
        passwordFile = EnvironmentDefaults.path(PASSWORD_FILE, env, passwordFile);
        tools = EnvironmentDefaults.text(TOOLS, env, tools);
        sessionIdleMs = EnvironmentDefaults.number(SESSION_IDLE_MS, env, sessionIdleMs);
        mcpPath = EnvironmentDefaults.text(MCP_PATH, env, mcpPath);
        tokenFile = EnvironmentDefaults.path(TOKEN_FILE, env, tokenFile);
        allowedHosts = EnvironmentDefaults.text(ALLOWED_HOSTS, env, allowedHosts);
        allowedOrigins = EnvironmentDefaults.text(ALLOWED_ORIGINS, env, allowedOrigins);
        jobsDb = EnvironmentDefaults.text(JOBS_DB, env, jobsDb);
        jobsKeepDays = EnvironmentDefaults.number(JOBS_KEEP_DAYS, env, jobsKeepDays);
        jobsStoreText = EnvironmentDefaults.text(JOBS_STORE_TEXT, env, jobsStoreText);
    }

    /** The tool profile's name (full, simple, all), checked by {@code tools.ToolProfile}. */
    public String tools() {
        return tools;
    }

    /** Whether {@code --http} was given: serve Streamable HTTP instead of stdio. */
    public boolean httpMode() {
        return http != null;
    }

    /**
     * The settings of both modes. The OpenCode password comes from {@code --password-file} when given,
     * else from {@code env}'s OPENCODE_SERVER_PASSWORD.
     *
     * @throws IllegalArgumentException for a value that cannot be used (the message names the option)
     */
    public Settings settings(Map<String, String> env) throws IOException {
        String password = env.get(EnvVars.PASSWORD);
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

    /** The HTTP mode's settings (call only when {@link #httpMode()}). */
    public HttpSettings httpSettings(Map<String, String> env) {
        return new HttpSettings(http, env.get(EnvVars.HTTP_BIND), env.get(EnvVars.PORT), env.get(EnvVars.HOST), mcpPath,
                tokenFile, env.get(EnvVars.BEARER_TOKEN), allowedHosts, allowedOrigins, allowRemote,
                Duration.ofMillis(positive("--session-idle-ms", sessionIdleMs)));
    }

    /** The jobs ledger's settings; its default file is under {@code env}'s XDG_STATE_HOME. */
    public JobSettings jobSettings(Map<String, String> env) {
        return JobSettings.of(jobsDb, jobsKeepDays, jobsStoreText, env);
    }

    private static long positive(String option, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(option + " must be positive, got " + value);
        }
        return value;
    }
}
