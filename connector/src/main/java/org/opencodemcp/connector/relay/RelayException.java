package org.opencodemcp.connector.relay;

/**
 * A failure to reach or use the relay, with a message written for the person (what happened and what
 * to do). {@code permanent} failures (unknown or changed host key, refused login, bad configuration)
 * will not fix themselves by retrying; the others (network down, relay restarting) will.
 */
public class RelayException extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean permanent;

    public RelayException(String message, boolean permanent, Throwable cause) {
        super(message, cause);
        this.permanent = permanent;
    }

    public boolean permanent() {
        return permanent;
    }
}
