package org.opencodemcp.server.instance;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeoutException;
import org.opencodemcp.server.opencode.OpenCodeException;

/**
 * What the registry knows about one instance's live events: which route works, how many times in
 * a row the stream failed, and whether session status is polled instead. The decisions are pure
 * ({@link #closed}); the registry thread acts on them and is the only writer.
 *
 * <p>The rule that keeps a fleet quiet: a stream that lived a while and then ended may mean the
 * tunnel dropped, so the instance is probed at once; a stream refused or ending early is retried
 * through {@link RetryPolicy#STREAM} (never in a loop), and after a few such failures the instance
 * stays online with its status polled every {@link #POLL_EVERY}.
 */
public final class EventFeed {
    public static final String GLOBAL_ROUTE = "/global/event";
    public static final String INSTANCE_ROUTE = "/event";
    /** A stream that lived this long before ending was healthy: its end is news about the tunnel. */
    static final Duration HEALTHY_LIFETIME = Duration.ofSeconds(30);
    /** Failures in a row before the instance is served by polling until its stream works again. */
    static final int FAILURES_BEFORE_POLLING = 3;
    public static final Duration POLL_EVERY = Duration.ofSeconds(10);

    /** What to do after a stream ended. */
    public sealed interface Next {
        /** The stream was healthy: probe now (a dropped tunnel is noticed in milliseconds). */
        record ProbeNow() implements Next {}

        /** The route is not served: open the other one now. */
        record TryRoute(String route) implements Next {}

        /** Probe and reopen after {@code delay}; {@code poll} says whether status is polled meanwhile. */
        record RetryAfter(Duration delay, boolean poll) implements Next {}
    }

    private final RetryPolicy policy;
    private String route = GLOBAL_ROUTE;
    private boolean triedOtherRoute;
    private int failures;
    private int noRouteFailures;
    private volatile String note;
    private ScheduledFuture<?> retry;
    private ScheduledFuture<?> poll;

    public EventFeed(RetryPolicy policy) {
        this.policy = policy;
    }

    /** The route to open next. */
    public String route() {
        return route;
    }

    /** "no live events: ...; status polled every 5 s", or null while the stream works. */
    public String note() {
        return note;
    }

    public int failures() {
        return failures;
    }

    /**
     * Decides what follows the end of a stream on {@link #route()}.
     *
     * @param connected whether the stream delivered its first event
     * @param lived     how long it was open
     */
    public Next closed(Throwable cause, boolean connected, Duration lived) {
        if (cause instanceof OpenCodeException oce && oce.kind() == OpenCodeException.Kind.NOT_FOUND) {
            if (!triedOtherRoute) {
                triedOtherRoute = true;
                route = GLOBAL_ROUTE.equals(route) ? INSTANCE_ROUTE : GLOBAL_ROUTE;
                return new Next.TryRoute(route);
            }
            triedOtherRoute = false; // the next retry (a while away) starts over on the preferred route
            route = GLOBAL_ROUTE;
            return failed("neither /global/event nor /event is served (" + oce.getMessage() + ")", true);
        }
        boolean stalled = cause instanceof TimeoutException;
        if (connected && !stalled) {
            if (lived.compareTo(HEALTHY_LIFETIME) >= 0) {
                failures = 0;
                return new Next.ProbeNow();
            }
            if (failures == 0) {
                failures = 1; // a young stream's first end may be a dropped tunnel too: check at once, once
                return new Next.ProbeNow();
            }
        }
        String why = stalled ? "the stream stalled"
                : cause == null ? (connected ? "the stream ended after " + lived.toMillis() + " ms" : "the stream ended before its first event")
                : String.valueOf(cause.getMessage() != null ? cause.getMessage() : cause);
        return failed(why, false);
    }

    private Next failed(String why, boolean noRoute) {
        failures++;
        Duration delay = noRoute ? RetryPolicy.NO_EVENT_ROUTE.delay(++noRouteFailures) : policy.delay(failures);
        boolean poll = noRoute || failures >= FAILURES_BEFORE_POLLING || note != null;
        if (poll) {
            note = "no live events: " + why + "; status polled every " + POLL_EVERY.toSeconds() + " s";
        }
        return new Next.RetryAfter(delay, poll);
    }

    /** The stream delivered events again: live events are back. */
    public void streamWorks() {
        note = null;
        triedOtherRoute = false;
    }

    // ---- timers, owned by the registry thread ----------------------------------------------

    public void scheduleRetry(ScheduledFuture<?> future) {
        cancel(retry);
        retry = future;
    }

    public boolean retryPending() {
        return retry != null && !retry.isDone();
    }

    public void schedulePoll(ScheduledFuture<?> future) {
        cancel(poll);
        poll = future;
    }

    public boolean polling() {
        return poll != null && !poll.isDone();
    }

    /** Stops the retry and poll timers; what was learnt about the routes is kept. */
    public void cancelTimers() {
        cancel(retry);
        cancel(poll);
        retry = null;
        poll = null;
    }

    /** Stops timers and forgets everything learnt (the target changed or went away). */
    public void reset() {
        cancelTimers();
        route = GLOBAL_ROUTE;
        triedOtherRoute = false;
        failures = 0;
        noRouteFailures = 0;
        note = null;
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }
}
