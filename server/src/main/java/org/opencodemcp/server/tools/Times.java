package org.opencodemcp.server.tools;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Times shown to the assistant: ISO-8601 UTC to the second, never the server's locale. */
public final class Times {
    private Times() {}

    public static String iso(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** OpenCode times are epoch milliseconds. */
    public static String isoMillis(long epochMillis) {
        return epochMillis <= 0 ? null : iso(Instant.ofEpochMilli(epochMillis));
    }
}
