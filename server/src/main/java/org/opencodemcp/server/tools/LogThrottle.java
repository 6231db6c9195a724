package org.opencodemcp.server.tools;

import io.modelcontextprotocol.spec.McpSchema.LoggingLevel;

/**
 * How many log notifications one client gets: at most {@link #PER_SECOND} in any {@link #WINDOW_MS} window.
 * What does not fit is counted, not queued, and goes out later as one "and N more" line at the highest
 * level among them, as soon as the window lets one more through. Not thread-safe (its owner synchronizes);
 * time is passed in, so tests need no clock.
 */
final class LogThrottle {
    static final int PER_SECOND = 3;
    static final long WINDOW_MS = 1000;

    /** The last {@link #PER_SECOND} send times, a ring; the slot at {@code next} is the oldest. */
    private final long[] sentAt = new long[PER_SECOND];
    private int next;
    private int suppressed;
    private LoggingLevel suppressedLevel;

    LogThrottle() {
        java.util.Arrays.fill(sentAt, Long.MIN_VALUE / 2);
    }

    /** True when one more may be sent now (and counts it as sent). */
    boolean allow(long nowMs) {
        if (nowMs - sentAt[next] < WINDOW_MS) {
            return false;
        }
        sentAt[next] = nowMs;
        next = (next + 1) % PER_SECOND;
        return true;
    }

    /** One that did not fit: counted for the next summary. */
    void suppress(LoggingLevel level, int count) {
        suppressed += count;
        if (suppressedLevel == null || level.level() > suppressedLevel.level()) {
            suppressedLevel = level;
        }
    }

    int suppressed() {
        return suppressed;
    }

    /** The "and N more" line when some were held back and the window lets it through now, else null. */
    LogLine summary(long nowMs) {
        if (suppressed == 0 || !allow(nowMs)) {
            return null;
        }
        LogLine line = new LogLine(suppressedLevel, "and " + suppressed + " more fleet event" + (suppressed == 1 ? "" : "s")
                + " (held back: at most " + PER_SECOND + " messages a second); fleet_status shows what waits now");
        suppressed = 0;
        suppressedLevel = null;
        return line;
    }
}
