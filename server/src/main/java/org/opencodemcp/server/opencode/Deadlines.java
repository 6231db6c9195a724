package org.opencodemcp.server.opencode;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.opencodemcp.server.threads.DaemonThreads;

/**
 * Hard deadlines for OpenCode calls. {@code HttpRequest.timeout} only bounds the wait for the
 * response headers: an instance that sends headers and then one byte of body would hold the call
 * (and the thread waiting on it) forever. Cancelling the JDK client's future aborts the exchange and
 * closes its connection, so a stalled instance costs only its own calls.
 */
final class Deadlines {
    private static final ScheduledThreadPoolExecutor TIMER = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("opencode-deadlines"));

    static {
        TIMER.setRemoveOnCancelPolicy(true); // most calls finish long before their deadline
    }

    private Deadlines() {}

    /** Cancels {@code call} (aborting its exchange) unless it completes within {@code deadline}. */
    static <T> CompletableFuture<T> bound(CompletableFuture<T> call, Duration deadline) {
        ScheduledFuture<?> timer = TIMER.schedule(() -> {
            call.cancel(true);
        }, Math.max(1, deadline.toMillis()), TimeUnit.MILLISECONDS);
        call.whenComplete((r, e) -> timer.cancel(false));
        return call;
    }
}
