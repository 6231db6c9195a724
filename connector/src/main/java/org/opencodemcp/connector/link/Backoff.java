package org.opencodemcp.connector.link;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential reconnect delays with jitter: min, 2 min, 4 min ... capped at max, each drawn at random
 * from the upper half of its step ("equal jitter"), so that many laptops reconnecting to a restarted
 * relay do not all knock at the same instant, yet none waits less than half its step.
 */
public final class Backoff {

    private final Duration min;
    private final Duration max;
    private final DoubleSupplier random;
    private int attempt;

    public Backoff(Duration min, Duration max, DoubleSupplier random) {
        if (min.isNegative() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("backoff needs 0 <= min <= max, got " + min + " / " + max);
        }
        this.min = min;
        this.max = max;
        this.random = random;
    }

    public Backoff(Duration min, Duration max) {
        this(min, max, Math::random);
    }

    /** The delay before the next attempt; each call doubles the step until it reaches max. */
    public Duration next() {
        long step = min.toMillis() << Math.min(attempt, 30);
        if (step <= 0 || step > max.toMillis()) {
            step = max.toMillis();
        }
        attempt++;
        long half = step / 2;
        return Duration.ofMillis(half + (long) (random.getAsDouble() * (step - half)));
    }

    /** Back to the first step, after a link that stayed up long enough to count as healthy. */
    public void reset() {
        attempt = 0;
    }
}
