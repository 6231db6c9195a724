package org.opencodemcp.server.registry;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntSupplier;

/**
 * The registry's first look at its directory: the first scan, then the first probe of everything it
 * found. The registry starts after the initialize answer (start-up speed), so the first tool calls
 * would otherwise see an empty or all-probing fleet; they wait here, at most a limit, and later calls
 * return at once. Completed by the registry thread, awaited by tool threads.
 */
final class FirstLook {
    /** The most registrations whose first probes the first tool calls wait for. */
    static final int PROBE_WAIT_MAX = 100;

    private final CompletableFuture<Void> scanned = new CompletableFuture<>();
    /** The first scan and the first probe of everything it found have ended. */
    private final CompletableFuture<Void> probed = new CompletableFuture<>();

    /** Completes after the first full scan (or its failure). */
    CompletableFuture<Void> firstScan() {
        return scanned;
    }

    boolean done() {
        return probed.isDone();
    }

    /** The first scan has read the directory and started these probes. */
    void scanned(List<CompletableFuture<?>> probes) {
        scanned.complete(null);
        CompletableFuture.allOf(probes.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> probed.complete(null));
    }

    /** The first scan failed: no later tool call must wait for it. */
    void failed() {
        scanned.complete(null);
        probed.complete(null);
    }

    /**
     * Waits, at most {@code limit}, for the first scan and then for its probes. A fleet of more than
     * {@link #PROBE_WAIT_MAX} registrations is answered once it is read: its probes take seconds (1,000
     * in 3-5 s on 2 busy cores), so waiting for them only delayed the listing by the whole limit (issue
     * 18, "fleet visible"); its rows say which instances are still being probed.
     *
     * @param registrations how many registrations the registry holds now (read after the scan)
     */
    void await(Duration limit, IntSupplier registrations) {
        if (probed.isDone()) {
            return;
        }
        long deadline = System.nanoTime() + limit.toNanos();
        try {
            scanned.get(limit.toMillis(), TimeUnit.MILLISECONDS);
            if (registrations.getAsInt() > PROBE_WAIT_MAX) {
                return;
            }
            long left = deadline - System.nanoTime();
            if (left > 0) {
                probed.get(left, TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // answer with what is known: the listing says which instances are still being probed
        }
    }
}
