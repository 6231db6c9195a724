package org.opencodemcp.server.opencode;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * HTTP Basic credentials for OpenCode servers started with OPENCODE_SERVER_PASSWORD.
 * The password never appears in toString(), logs or tool output.
 */
public record Credentials(String username, String password) {

    public static final String DEFAULT_USERNAME = "opencode";

    public Credentials {
        username = username == null || username.isBlank() ? DEFAULT_USERNAME : username;
    }

    public String authorizationHeader() {
        String raw = username + ":" + password;
        return "Basic " + Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "Credentials[username=" + username + ", password=***]";
    }
}
