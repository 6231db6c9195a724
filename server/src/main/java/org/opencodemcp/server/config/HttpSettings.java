package org.opencodemcp.server.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What {@code --http} mode is told, resolved by {@link ServerOptions} (options, then the environment,
 * then defaults); the transport reads no environment itself.
 *
 * @param spec            the {@code --http} value ({@code ""} when given without one)
 * @param bindEnv         HTTP_BIND, or null
 * @param portEnv         PORT, or null
 * @param hostEnv         HOST (only reported: it is not the listen address), or null
 * @param tokenFile       --token-file / MCP_BEARER_TOKEN_FILE, or null
 * @param tokenEnv        MCP_BEARER_TOKEN, or null
 */
public record HttpSettings(String spec, String bindEnv, String portEnv, String hostEnv, String mcpPath, Path tokenFile,
                           String tokenEnv, String allowedHosts, String allowedOrigins, boolean allowRemote,
                           Duration sessionIdle) {

    @Override
    public String toString() {
        return "HttpSettings[spec=" + spec + ", mcpPath=" + mcpPath + ", tokenFile=" + tokenFile
                + ", tokenEnv=" + (tokenEnv == null ? "unset" : "(hidden)") + ", allowRemote=" + allowRemote + "]";
    }
}
