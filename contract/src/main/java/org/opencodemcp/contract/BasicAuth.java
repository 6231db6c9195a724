package org.opencodemcp.contract;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * An HTTP Basic pair for an OpenCode server, and the {@code <name>.auth} file that carries it
 * (plans/registration.md, "The secret"): one line {@code USER:PASSWORD}, a trailing newline ignored,
 * at most {@link #MAX_AUTH_FILE_BYTES}. The user is never empty: opencode's own default {@code opencode}
 * stands in for an unset or blank one from the environment, and a file line with an empty user is
 * refused (a writer that lost the user is broken; guessing could send the secret to the wrong account).
 * {@link #toString()} never shows the password.
 */
public record BasicAuth(String user, String password) {
    public static final String DEFAULT_USER = "opencode";
    public static final String PASSWORD_ENV = "OPENCODE_SERVER_PASSWORD";
    public static final String USERNAME_ENV = "OPENCODE_SERVER_USERNAME";
    /** The contract's cap on a {@code .auth} file. */
    public static final int MAX_AUTH_FILE_BYTES = 1024;

    /** @throws IllegalArgumentException when the pair cannot be sent or written (the message never quotes the password) */
    public BasicAuth {
        String p = problem(user, password);
        if (p != null) {
            throw new IllegalArgumentException(p);
        }
    }

    /** The pair for a configured user and password: an unset or blank user means {@link #DEFAULT_USER}. */
    public static BasicAuth of(String configuredUser, String password) {
        return new BasicAuth(configuredUser == null || configuredUser.isBlank() ? DEFAULT_USER : configuredUser, password);
    }

    /** The pair a server or connector configured with {@code OPENCODE_SERVER_PASSWORD}, if it is set and not empty. */
    public static Optional<BasicAuth> fromEnvironment(java.util.Map<String, String> env) {
        String password = env.get(PASSWORD_ENV);
        return password == null || password.isEmpty() ? Optional.empty() : Optional.of(of(env.get(USERNAME_ENV), password));
    }

    /** Parses a {@code .auth} file's text. */
    public static BasicAuth parseAuthFile(String text) throws IllegalArgumentException {
        String line = text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        int colon = line.indexOf(':');
        if (colon <= 0 || colon == line.length() - 1) {
            throw new IllegalArgumentException("is not one line USERNAME:PASSWORD"
                    + (colon == 0 ? " (the user name is empty)" : ""));
        }
        if (line.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("holds more than one line or control characters (expected one line USERNAME:PASSWORD)");
        }
        return new BasicAuth(line.substring(0, colon), line.substring(colon + 1));
    }

    /** The {@code .auth} file's content. */
    public String authFileText() {
        return user + ":" + password + "\n";
    }

    /** The value of the {@code Authorization} header. */
    public String header() {
        return header(user, password);
    }

    /** The {@code Authorization} header for a pair as configured (no checks: the caller's own settings). */
    public static String header(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String problem(String user, String password) {
        if (user == null || user.isEmpty()) {
            return "the user name is empty";
        }
        if (user.indexOf(':') >= 0) {
            return "the user name contains ':'";
        }
        if (password == null || password.isEmpty()) {
            return "the password is empty";
        }
        if ((user + password).chars().anyMatch(Character::isISOControl)) {
            return "the user name or password contains a line break or control character";
        }
        if ((user + ":" + password + "\n").getBytes(StandardCharsets.UTF_8).length > MAX_AUTH_FILE_BYTES) {
            return "user name and password together are over " + MAX_AUTH_FILE_BYTES + " bytes";
        }
        return null;
    }

    @Override
    public String toString() {
        return "BasicAuth[user=" + user + ", password=(hidden)]";
    }
}
