package org.opencodemcp.server.opencode;

/** Receives the events of one OpenCode event stream. Called on an HTTP client thread: do not block. */
public interface EventListener {

    void onEvent(OpenCodeEvent event);

    /** The stream ended (server gone, tunnel dropped, or closed by us). {@code cause} may be null. */
    default void onClosed(Throwable cause) {}
}
