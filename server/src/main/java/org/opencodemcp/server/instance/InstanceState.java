package org.opencodemcp.server.instance;

import java.util.Locale;

/** Where an instance stands, as shown to the assistant (plans/architecture.md, "States"). */
public enum InstanceState {
    /** The file was just read; the first probe is in flight (milliseconds). */
    PROBING,
    /** Health and identity checks passed; an event stream is open. Tools are routed here. */
    ONLINE,
    /** Nothing answers on the port (tunnel down, opencode gone). Re-probed with backoff; pruned after the grace. */
    UNREACHABLE,
    /** Something answers, but it is not this instance (another directory, or not OpenCode). Nothing is routed. */
    MISMATCH,
    /** The file is not a usable registration (the reason says why). Never deleted by the server. */
    INVALID;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
