package org.opencodemcp.server.logging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps a log readable when something repeats: the first line of a kind is written, repeats within
 * the window are only counted, and the next line after the window says how many were left out
 * ("... 57 more times in 60 s"). Keys name the kind of line (e.g. "stream-failed:laptop-proj").
 */
public final class RepeatedLines {
    /** Beyond this many kinds, the oldest counts are forgotten (a bound, not a feature). */
    private static final int MAX_KEYS = 10_000;

    private final Duration window;
    private final Clock clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    private record Window(Instant start, int suppressed) {}

    public RepeatedLines(Duration window, Clock clock) {
        this.window = window;
        this.clock = clock;
    }

    /**
     * Whether to write a line of this kind now: null means "count it, write nothing"; otherwise the
     * suffix to append ("" or " (... 57 more times in 60 s)").
     */
    public String admit(String key) {
        Instant now = clock.instant();
        String[] suffix = new String[1];
        if (windows.size() >= MAX_KEYS && !windows.containsKey(key)) {
            windows.clear();
        }
        windows.compute(key, (k, w) -> {
            if (w == null || !now.isBefore(w.start().plus(window))) {
                suffix[0] = w == null || w.suppressed() == 0 ? ""
                        : " (... " + w.suppressed() + " more times in " + Duration.between(w.start(), now).toSeconds() + " s)";
                return new Window(now, 0);
            }
            return new Window(w.start(), w.suppressed() + 1);
        });
        return suffix[0];
    }

    /** Forgets a kind (e.g. the instance went away), so its next line is written at once. */
    public void forget(String key) {
        windows.remove(key);
    }
}
