package org.opencodemcp.connector.opencode;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.opencodemcp.contract.BasicAuth;

/**
 * The HTTP Basic pair opencode is started with (SECRET-CONTRACT.md): one per launch, generated unless
 * the person set {@code OPENCODE_SERVER_PASSWORD} (and optionally {@code OPENCODE_SERVER_USERNAME})
 * themselves. It reaches opencode only through its environment and the server only through the 0600
 * {@code <name>.auth} file; {@link #toString()} never shows the password, so a stray log line cannot leak it.
 */
public final class ServerCredential {

    public static final String PASSWORD_ENV = BasicAuth.PASSWORD_ENV;
    public static final String USERNAME_ENV = BasicAuth.USERNAME_ENV;
    public static final String DEFAULT_USER = BasicAuth.DEFAULT_USER;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int GENERATED_BYTES = 32;

    private final BasicAuth pair;
    private final boolean personsOwn;

    private ServerCredential(BasicAuth pair, boolean personsOwn) {
        this.pair = pair;
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
        return new ServerCredential(new BasicAuth(DEFAULT_USER, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes)),
                false);
    }

    /**
     * The person's own pair from the environment, if {@code OPENCODE_SERVER_PASSWORD} is set and not empty
     * (an unset or blank {@code OPENCODE_SERVER_USERNAME} means {@code opencode}).
     */
    public static Optional<ServerCredential> fromEnv(Map<String, String> env) {
        try {
            return BasicAuth.fromEnvironment(env).map(pair -> new ServerCredential(pair, true));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(USERNAME_ENV + "/" + PASSWORD_ENV + " cannot be used: " + e.getMessage()
                    + " (the user must not contain ':', neither may contain a line break, and together they must stay "
                    + "under 1 KiB)");
        }
    }

    /** Reads a {@code .auth} file's text: one line {@code USER:PASSWORD}, a trailing newline ignored. */
    public static ServerCredential parseAuthFile(String text) throws IOException {
        try {
            return new ServerCredential(BasicAuth.parseAuthFile(text), false);
        } catch (IllegalArgumentException e) {
            throw new IOException("not a single USER:PASSWORD line: " + e.getMessage());
        }
    }

    /** The {@code .auth} file's content. */
    public String authFileText() {
        return pair.authFileText();
    }

    /** The value of the {@code Authorization} header opencode expects. */
    public String header() {
        return pair.header();
    }

    /** What opencode's environment must carry for it to demand this pair. */
    public Map<String, String> environment() {
        return Map.of(PASSWORD_ENV, pair.password(), USERNAME_ENV, pair.user());
    }

    public String user() {
        return pair.user();
    }

    /** Whether the pair came from the person's own environment rather than being generated for this launch. */
    public boolean personsOwn() {
        return personsOwn;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ServerCredential c && c.pair.equals(pair);
    }

    @Override
    public int hashCode() {
        return pair.hashCode();
    }

    @Override
    public String toString() {
        return "ServerCredential[user=" + pair.user() + ", password=(hidden)]";
    }
}
