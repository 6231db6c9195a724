package org.opencodemcp.testkit;

import java.time.Duration;

/** Polls an assertion until it passes: for state that other processes change asynchronously. */
public final class Eventually {
    /** Short enough to keep tests fast, long enough not to hammer the system under test. */
    private static final long POLL_MILLIS = 25;

    private Eventually() {}

    /** An assertion that may throw anything; a throw means "not yet". */
    @FunctionalInterface
    public interface ThrowingRunnable {
        void run() throws Exception;
    }

    /**
     * Runs {@code assertion} until it completes normally. On timeout the last failure is rethrown as is
     * (checked exceptions wrapped in an AssertionError), so the test shows the real reason.
     */
    public static void await(Duration timeout, ThrowingRunnable assertion) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Throwable last;
            try {
                assertion.run();
                return;
            } catch (Throwable t) {
                last = t;
            }
            if (System.nanoTime() - deadline >= 0) {
                if (last instanceof Error error) {
                    throw error;
                }
                if (last instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new AssertionError("still failing after " + timeout + ": " + last, last);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                AssertionError interrupted = new AssertionError("interrupted while waiting", e);
                interrupted.addSuppressed(last);
                throw interrupted;
            }
        }
    }
}
