package org.opencodemcp.server.config;

import org.opencodemcp.contract.BasicAuth;
import org.opencodemcp.contract.RegistryFiles;

/**
 * The name of every environment variable the server reads. Options fall back to them (see
 * {@link ServerOptions}); the secrets among them ({@link #PASSWORD}, {@link #BEARER_TOKEN}) have no
 * option on purpose: a process argument is visible to every account on the machine.
 */
public final class EnvVars {
    public static final String REGISTRY_DIR = RegistryFiles.DIRECTORY_ENV;
    public static final String DISCOVERY_INTERVAL_MS = "DISCOVERY_INTERVAL_MS";
    public static final String HEALTH_CHECK_TIMEOUT_MS = "HEALTH_CHECK_TIMEOUT_MS";
    public static final String PRUNE_AFTER_MS = "PRUNE_AFTER_MS";
    public static final String REQUEST_TIMEOUT_MS = "OPENCODE_REQUEST_TIMEOUT_MS";
    public static final String SEND_WAIT_SECONDS = "SEND_WAIT_SECONDS";
    public static final String USERNAME = BasicAuth.USERNAME_ENV;
    public static final String PASSWORD = BasicAuth.PASSWORD_ENV;
    public static final String PASSWORD_FILE = "OPENCODE_SERVER_PASSWORD_FILE";
    public static final String TOOLS = "TOOLS";
    public static final String JOBS_DB = "JOBS_DB";
    public static final String JOBS_KEEP_DAYS = "JOBS_KEEP_DAYS";
    public static final String JOBS_STORE_TEXT = "JOBS_STORE_TEXT";
    /** Where the jobs database lives when JOBS_DB is not set (XDG base directories). */
    public static final String XDG_STATE_HOME = "XDG_STATE_HOME";
    public static final String HTTP_SESSION_IDLE_MS = "HTTP_SESSION_IDLE_MS";
    public static final String MCP_PATH = "MCP_PATH";
    public static final String BEARER_TOKEN = "MCP_BEARER_TOKEN";
    public static final String BEARER_TOKEN_FILE = "MCP_BEARER_TOKEN_FILE";
    public static final String ALLOWED_HOSTS = "ALLOWED_HOSTS";
    public static final String ALLOWED_ORIGINS = "ALLOWED_ORIGINS";
    /** {@code --http}'s address when the option gives none: {@code HOST[:PORT]} or a port. */
    public static final String HTTP_BIND = "HTTP_BIND";
    public static final String PORT = "PORT";
    /** Read only to say that it is not used for the listen address (containers often set it). */
    public static final String HOST = "HOST";

    private EnvVars() {}
}
