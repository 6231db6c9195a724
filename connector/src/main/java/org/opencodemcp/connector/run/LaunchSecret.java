package org.opencodemcp.connector.run;

import java.util.Optional;
import org.opencodemcp.connector.config.Settings;
import org.opencodemcp.connector.opencode.ServerCredential;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which password opencode runs with, and which is published as {@code <name>.auth} (SECRET-CONTRACT.md).
 * By default: one per launch (the person's own {@code OPENCODE_SERVER_PASSWORD} if set, else a random
 * one), published. With {@code --insecure-no-password}: nothing is published, and opencode runs with
 * the person's own password if they set one (the original TypeScript server's setup: one shared
 * password the server is configured with), else with none at all.
 */
public final class LaunchSecret {

    private static final Logger LOG = LoggerFactory.getLogger(LaunchSecret.class);

    private LaunchSecret() {}

    static Optional<ServerCredential> forOpencode(Settings s) {
        if (!s.insecureNoPassword()) {
            return Optional.of(ServerCredential.forLaunch(s.env()));
        }
        Optional<ServerCredential> own = ServerCredential.fromEnv(s.env());
        LOG.warn("{}", insecureWarning(own.isPresent()));
        return own;
    }

    static Optional<ServerCredential> published(Settings s, Optional<ServerCredential> credential) {
        return s.insecureNoPassword() ? Optional.empty() : credential;
    }

    /** The loud warning for {@code --insecure-no-password}, for the terminal and the log. */
    public static String insecureWarning(boolean ownPassword) {
        if (ownPassword) {
            return "WARNING --insecure-no-password: no per-instance secret and no .auth file. opencode runs with your "
                    + "own OPENCODE_SERVER_PASSWORD, which the server must be configured with; everyone who knows "
                    + "that shared password can drive every machine that uses it.";
        }
        return "WARNING --insecure-no-password: opencode runs WITHOUT A PASSWORD. Every account on the relay (and on "
                + "this machine) can connect to its port and send it prompts, and with them shell commands run as "
                + "you on this machine. Use this only to interoperate with the original TypeScript server, only on "
                + "a relay no one else can log in to.";
    }
}
