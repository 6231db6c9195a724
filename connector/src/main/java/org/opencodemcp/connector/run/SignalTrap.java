package org.opencodemcp.connector.run;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns SIGTERM, SIGINT and SIGHUP (terminal closed) into an orderly stop on the main thread, so the
 * connector can remove the registration and end with opencode's exit code. A JVM shutdown hook could
 * not do that: the JVM would already be exiting with 143. {@code sun.misc.Signal} is the JDK's only
 * handle on signals; it lives in jdk.unsupported, which every JDK 17+ ships.
 */
@SuppressWarnings("restriction")
public final class SignalTrap {

    private static final Logger LOG = LoggerFactory.getLogger(SignalTrap.class);

    private SignalTrap() {}

    public static void install(Runnable onSignal) {
        for (String name : new String[] {"TERM", "INT", "HUP"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> {
                    LOG.info("received SIG{}", sig.getName());
                    onSignal.run();
                });
            } catch (IllegalArgumentException unavailable) {
                LOG.debug("cannot handle SIG{} here", name);
            }
        }
    }
}
