package org.opencodemcp.server.instance;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * The one backoff rule for everything that reconnects or re-probes: the n-th failure in a row
 * waits {@code floor * 2^(n-1)}, at most {@code max}, spread by +/- {@code jitter} so a fleet that
 * failed together does not retry together. Nothing retries sooner than the floor (minus jitter).
 */
public record RetryPolicy(Duration floor, Duration max, double jitter) {
    /** Probing an instance that is unreachable or answers for another directory. */
    public static final RetryPolicy PROBE = new RetryPolicy(Duration.ofMillis(500), Duration.ofSeconds(15), 0.2);
    /** Reopening an event stream that was refused or ended early while the instance answers probes. */
    public static final RetryPolicy STREAM = new RetryPolicy(Duration.ofSeconds(1), Duration.ofMinutes(5), 0.2);
    /** Asking again for event routes an instance answered 404 to (it may have been upgraded meanwhile). */
    public static final RetryPolicy NO_EVENT_ROUTE = new RetryPolicy(Duration.ofMinutes(1), Duration.ofMinutes(10), 0.2);

    public RetryPolicy {
        if (floor.isNegative() || floor.isZero() || max.compareTo(floor) < 0 || jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("bad retry policy: " + floor + ".." + max + " jitter " + jitter);
        }
    }

    /** The wait before the next try after {@code failures} (>= 1) failures in a row. */
    public Duration delay(int failures) {
        return delay(failures, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** As {@link #delay(int)}, with the random source given (a value in [0, 1)), for tests. */
    public Duration delay(int failures, DoubleSupplier random) {
        long base = floor.toMillis();
        for (int i = 1; i < failures && base < max.toMillis(); i++) {
            base *= 2;
        }
        base = Math.min(base, max.toMillis());
        double spread = 1 + jitter * (2 * random.getAsDouble() - 1);
        return Duration.ofMillis(Math.max(1, Math.round(base * spread)));
    }
}
