package org.opencodemcp.server.transport;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Counts refused HTTP requests (401, 403, 413) and logs them at most once per {@link #PERIOD_NANOS}:
 * the first refusal at once, with its details, then one line per period with how many followed. An
 * unauthenticated client can then no longer fill the disk with warnings, and a person still sees
 * that something is knocking.
 */
final class RefusalLog {
    static final long PERIOD_NANOS = 60_000_000_000L;

    private final LongSupplier nanoClock;
    private final Consumer<String> sink;
    private final Map<Integer, Long> counts = new TreeMap<>();
    private long total;
    private long lastLogged;
    private boolean loggedOnce;
    private String latest;

    RefusalLog(LongSupplier nanoClock, Consumer<String> sink) {
        this.nanoClock = nanoClock;
        this.sink = sink;
    }

    /** One refused request; {@code what} describes it (method, path, peer, why) and is already log-safe. */
    void refused(int status, String what) {
        String line = null;
        synchronized (this) {
            total++;
            counts.merge(status, 1L, Long::sum);
            latest = status + " " + what;
            long now = nanoClock.getAsLong();
            if (!loggedOnce || now - lastLogged >= PERIOD_NANOS) {
                line = loggedOnce ? summary(now) : "refused " + latest + " (further refusals are counted and logged at most once a minute)";
                loggedOnce = true;
                lastLogged = now;
                counts.clear();
                total = 0;
            }
        }
        if (line != null) {
            sink.accept(line);
        }
    }

    /** Total refusals counted so far and not yet reported. */
    synchronized long pending() {
        return total;
    }

    private String summary(long now) {
        StringBuilder by = new StringBuilder();
        counts.forEach((status, n) -> by.append(by.length() == 0 ? "" : ", ").append(n).append(" x ").append(status));
        return "refused " + total + " requests in the last " + (now - lastLogged) / 1_000_000_000L + " s (" + by + "); latest: " + latest;
    }
}
