package org.opencodemcp.server.opencode;

import org.opencodemcp.contract.BasicAuth;

/**
 * HTTP Basic credentials for OpenCode servers started with OPENCODE_SERVER_PASSWORD (an unset or
 * blank user name means opencode's default, as in {@link BasicAuth#of}).
 * The password never appears in toString(), logs or tool output.
 */
public record Credentials(String username, String password) {

    public static final String DEFAULT_USERNAME = BasicAuth.DEFAULT_USER;

    public Credentials {
        username = username == null || username.isBlank() ? DEFAULT_USERNAME : username;
    }

    public String authorizationHeader() {
        return BasicAuth.header(username, password);
    }

    @Override
    public String toString() {
        return "Credentials[username=" + username + ", password=***]";
    }
}
