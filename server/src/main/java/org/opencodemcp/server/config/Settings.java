package org.opencodemcp.server.config;

import java.nio.file.Path;
import java.time.Duration;
import org.opencodemcp.contract.BasicAuth;
import org.opencodemcp.contract.RegistryFiles;
import org.opencodemcp.server.opencode.Credentials;

/**
 * Everything the server can be told, resolved from command-line options, the environment and
 * these defaults, in that order, by {@link ServerOptions}. Names and defaults follow the original TypeScript server where it had them.
 *
 * @param registryDir        RELAY_REGISTRY_DIR, where connectors drop registration files
 * @param discoveryInterval  DISCOVERY_INTERVAL_MS, the safety-net rescan period (the watcher is the fast path)
 * @param healthTimeout      HEALTH_CHECK_TIMEOUT_MS, per probe request
 * @param pruneAfter         PRUNE_AFTER_MS, how long an instance must be unreachable, with a stale heartbeat, before its file is deleted
 * @param requestTimeout     OPENCODE_REQUEST_TIMEOUT_MS, for ordinary OpenCode API calls made by tools
 * @param sendWait           SEND_WAIT_SECONDS, default time a synchronous send_message waits before answering "still running"
 * @param credentials        OPENCODE_SERVER_USERNAME / OPENCODE_SERVER_PASSWORD, or null when no password is set
 */
public record Settings(
        Path registryDir,
        Duration discoveryInterval,
        Duration healthTimeout,
        Duration pruneAfter,
        Duration requestTimeout,
        Duration sendWait,
        Credentials credentials) {

    /** The defaults of every setting; {@link ServerOptions} is where they meet their options and variables. */
    public static final String DEFAULT_REGISTRY_DIR = RegistryFiles.DEFAULT_DIRECTORY;
    public static final long DEFAULT_DISCOVERY_INTERVAL_MS = 30_000;
    public static final long DEFAULT_HEALTH_CHECK_TIMEOUT_MS = 3_000;
    /** Ten minutes: long enough to ride out a laptop's sleep or a relay reboot, short enough to keep the list clean. */
    public static final long DEFAULT_PRUNE_AFTER_MS = 600_000;
    public static final long DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
    /** Below the 60 s that most MCP clients allow a tool call. */
    public static final long DEFAULT_SEND_WAIT_SECONDS = 50;
    public static final String DEFAULT_USERNAME = BasicAuth.DEFAULT_USER;
    /** Every tool (the simple profile serves only the original server's three). */
    public static final String DEFAULT_TOOLS = "full";
    /** HTTP: an MCP session unused for 30 minutes is closed. */
    public static final long DEFAULT_HTTP_SESSION_IDLE_MS = 1_800_000;
    public static final String DEFAULT_MCP_PATH = "/mcp";
}
