package org.opencodemcp.connector.opencode;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTP Basic credentials opencode demands when {@code OPENCODE_SERVER_PASSWORD} is set in its
 * environment (user {@code OPENCODE_SERVER_USERNAME}, default {@code opencode}). The value is only
 * ever sent to opencode, never logged or written to the registration.
 */
public final class OpenCodeAuth {

    private OpenCodeAuth() {}

    public static Optional<String> header(Map<String, String> env) {
        String password = env.get("OPENCODE_SERVER_PASSWORD");
        if (password == null || password.isEmpty()) {
            return Optional.empty();
        }
        String user = env.getOrDefault("OPENCODE_SERVER_USERNAME", "opencode");
        String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return Optional.of("Basic " + token);
    }
}
