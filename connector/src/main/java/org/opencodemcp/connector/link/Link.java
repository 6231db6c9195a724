package org.opencodemcp.connector.link;

import java.util.Optional;
import java.util.function.Consumer;
import org.opencodemcp.contract.Registration;

/**
 * Keeps one running opencode registered: written once reachable, heartbeated, restored if someone
 * deleted it, and removed on close. Local-only mode has no tunnel; relay mode also owns the SSH
 * session and reconnects it.
 */
public interface Link extends AutoCloseable {

    /** Starts the link and waits (bounded) for the first registration attempt to succeed or fail. */
    void start();

    /** The registration as last written, or empty while not registered (relay down, reconnecting). */
    Optional<Registration> current();

    /**
     * Called (on the link's thread) when the link cannot keep opencode registered and stops trying; the
     * connector then stops with that reason rather than run unregistered. Set before {@link #start()}.
     */
    default void onGiveUp(Consumer<String> listener) {
    }

    /** A one-line state for the banner, logs and status. */
    String state();

    /** Stops heartbeats, removes the registration if it is still ours, closes the tunnel. Bounded in time. */
    @Override
    void close();
}
