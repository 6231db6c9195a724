package org.opencodemcp.connector.opencode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The HTTP Basic pair opencode is started with (SECRET-CONTRACT.md): one per launch, generated unless
 * the person set {@code OPENCODE_SERVER_PASSWORD} (and optionally {@code OPENCODE_SERVER_USERNAME})
 * themselves. It reaches opencode only through its environment and the server only through the 0600
 * {@code <name>.auth} file; {@link #toString()} never shows the password, so a stray log line cannot leak it.
 */
public final class ServerCredential {

    public static final String PASSWORD_ENV = "OPENCODE_SERVER_PASSWORD";
    public static final String USERNAME_ENV = "OPENCODE_SERVER_USERNAME";
    public static final String DEFAULT_USER = "opencode";
    /** The contract's cap on a {@code .auth} file. */
    public static final int MAX_AUTH_FILE = 1024;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int GENERATED_BYTES = 32;

    private final String user;
    private final String password;
    private final boolean personsOwn;

    private ServerCredential(String user, String password, boolean personsOwn) {
        this.user = user;
        this.password = password;
        this.personsOwn = personsOwn;
    }

    /** This launch's pair: the person's own {@code OPENCODE_SERVER_PASSWORD} if set, else a fresh random one. */
    public static ServerCredential forLaunch(Map<String, String> env) {
        return fromEnv(env).orElseGet(ServerCredential::generate);
    }

    /** 32 bytes from SecureRandom, base64url without padding (43 characters), user {@code opencode}. */
    public static ServerCredential generate() {
        byte[] bytes = new byte[GENERATED_BYTES];
        RANDOM.nextBytes(bytes);
        return new ServerCredential(DEFAULT_USER, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes), false);
    }

    /** The person's own pair from the environment, if {@code OPENCODE_SERVER_PASSWORD} is set and not empty. */
    public static Optional<ServerCredential> fromEnv(Map<String, String> env) {
        String password = env.get(PASSWORD_ENV);
        if (password == null || password.isEmpty()) {
            return Optional.empty();
        }
        String user = env.get(USERNAME_ENV);
        user = user == null || user.isEmpty() ? DEFAULT_USER : user;
        if (!validUser(user) || !validPassword(password) || (user + ":" + password).length() + 1 > MAX_AUTH_FILE) {
            throw new IllegalArgumentException(USERNAME_ENV + "/" + PASSWORD_ENV + " cannot be used: the user must not "
                    + "contain ':', neither may contain a line break, and together they must stay under 1 KiB");
        }
        return Optional.of(new ServerCredential(user, password, true));
    }

    /** Reads a {@code .auth} file's text: one line {@code USER:PASSWORD}, a trailing newline ignored. */
    public static ServerCredential parseAuthFile(String text) throws IOException {
        String line = text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        int colon = line.indexOf(':');
        if (colon <= 0 || colon == line.length() - 1) {
            throw new IOException("not a USER:PASSWORD line");
        }
        String user = line.substring(0, colon);
        String password = line.substring(colon + 1);
        if (!validUser(user) || !validPassword(password)) {
            throw new IOException("not a single USER:PASSWORD line");
        }
        return new ServerCredential(user, password, false);
    }

    /** The {@code .auth} file's content. */
    public String authFileText() {
        return user + ":" + password + "\n";
    }

    /** The value of the {@code Authorization} header opencode expects. */
    public String header() {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** What opencode's environment must carry for it to demand this pair. */
    public Map<String, String> environment() {
        return Map.of(PASSWORD_ENV, password, USERNAME_ENV, user);
    }

    public String user() {
        return user;
    }

    /** Whether the pair came from the person's own environment rather than being generated for this launch. */
    public boolean personsOwn() {
        return personsOwn;
    }

    private static boolean validUser(String user) {
        return !user.isEmpty() && user.indexOf(':') < 0 && noLineBreak(user);
    }

    private static boolean validPassword(String password) {
        return !password.isEmpty() && noLineBreak(password);
    }

    private static boolean noLineBreak(String s) {
        return s.indexOf('\n') < 0 && s.indexOf('\r') < 0 && s.indexOf('\0') < 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ServerCredential c && c.user.equals(user) && c.password.equals(password);
    }

    @Override
    public int hashCode() {
        return Objects.hash(user, password);
    }

    @Override
    public String toString() {
        return "ServerCredential[user=" + user + ", password=(hidden)]";
    }
}
