package org.opencodemcp.server.registry;

import java.time.Duration;

/**
 * Whether an open event stream has gone silent. OpenCode sends a heartbeat every 10 s, so a stream
 * with no byte for {@link #STALL} is a stalled tunnel that will never close by itself; a stream that
 * delivered its first event again after a failure shows that live events work once more. Pure: the
 * times are given (monotonic nanoseconds, as {@code System.nanoTime()}), and the registry thread
 * acts on the answer ({@link EventFeeds#watch}).
 */
final class StreamWatchdog {
    /** Three missed heartbeats and a margin. */
    static final Duration STALL = Duration.ofSeconds(35);

    enum Verdict {
        /** Nothing to do: the stream is quiet for less than {@link #STALL}, or fine. */
        FINE,
        /** Silent for longer than {@link #STALL}: abort it, so that its end is handled like any other. */
        STALLED,
        /** Connected and not stalled while the instance still says it has no live events: clear that. */
        WORKS_AGAIN
    }

    private StreamWatchdog() {}

    /**
     * @param lastActivityNanos when the stream last received a byte (its opening time if it never did)
     * @param nowNanos          the current monotonic time
     * @param connected         whether the stream delivered its first event
     * @param noLiveEvents      whether the instance is marked as having no live events (status polled)
     */
    static Verdict check(long lastActivityNanos, long nowNanos, boolean connected, boolean noLiveEvents) {
        if (nowNanos - lastActivityNanos > STALL.toNanos()) {
            return Verdict.STALLED;
        }
        return connected && noLiveEvents ? Verdict.WORKS_AGAIN : Verdict.FINE;
    }
}
