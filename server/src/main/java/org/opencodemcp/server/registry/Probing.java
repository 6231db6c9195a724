package org.opencodemcp.server.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.opencodemcp.contract.Registration;
import org.opencodemcp.server.config.Settings;
import org.opencodemcp.server.instance.InstanceState;
import org.opencodemcp.server.instance.RetryPolicy;
import org.opencodemcp.server.opencode.OpenCodeClient;

/**
 * Probing with backoff: starts an entry's probe (credentials chosen afresh, then {@link Prober}'s port,
 * health and directory checks), holds back the probes a scan asks for until it has read every file,
 * re-probes a lost entry after {@link RetryPolicy#PROBE}'s wait, and warms the HTTP client up. Runs on
 * the registry thread; what a probe found goes back to the registry's lifecycle on that thread.
 */
final class Probing {
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    /** The registry's side: acting on what a probe found (on the registry thread). */
    interface Lifecycle {
        /** Acts on a probe's outcome; the future ends when the entry's state is known (a second look included). */
        CompletableFuture<?> probed(LiveInstance e, long generation, ProbeOutcome outcome);

        /** The entry's credentials file is unusable: nothing may be sent to it. */
        void unusableCredentials(LiveInstance e, String problem);

        /** Whether {@code e} is still the registry's entry for its file. */
        boolean current(LiveInstance e);
    }

    private final Settings settings;
    private final HttpClient http;
    private final ObjectMapper json;
    private final ScheduledExecutorService loop;
    private final Prober prober;
    private final Lifecycle lifecycle;
    /** True from the process exit on: nothing new is started on the network. */
    private final BooleanSupplier exiting;
    /** While a scan reads the directory (registry thread only): the probes it asked for; see {@link #releaseHeld}. */
    private Map<LiveInstance, CompletableFuture<Object>> held;

    Probing(Settings settings, HttpClient http, ObjectMapper json, ScheduledExecutorService loop, BooleanSupplier exiting,
            Lifecycle lifecycle) {
        this.settings = settings;
        this.http = http;
        this.json = json;
        this.loop = loop;
        this.prober = new Prober(settings.healthTimeout());
        this.exiting = exiting;
        this.lifecycle = lifecycle;
    }

    /** Whether an entry is lost and so re-probed (a heartbeat rewrite or a retry timer asks again). */
    static boolean lost(LiveInstance e) {
        return e.state() == InstanceState.UNREACHABLE || e.state() == InstanceState.MISMATCH;
    }

    /** Probes {@code e} now (or after the scan that is reading the directory); the future ends with its state known. */
    CompletableFuture<?> probe(LiveInstance e) {
        Registration reg = e.registration();
        if (reg == null || exiting.getAsBoolean()) {
            return DONE;
        }
        if (held != null) {
            return held.computeIfAbsent(e, k -> new CompletableFuture<>());
        }
        e.cancelRetry();
        long gen = e.generation();
        InstanceCredentials.Choice choice = InstanceCredentials.choose(e, reg, http, json, settings);
        if (choice.problem() != null) {
            lifecycle.unusableCredentials(e, choice.problem());
            return DONE;
        }
        return prober.probe(choice.client(), reg.cwd()).thenComposeAsync(outcome -> lifecycle.probed(e, gen, outcome), loop);
    }

    /**
     * From now until the probes are released, probes wait: their outcomes are handled on this thread,
     * after the scan anyway, and 1,000 probes started one per file competed with the scan for the CPU,
     * so the fleet was listed seconds later (plans/performance.md). A scan that begins before the last
     * one's probes were started adds to them.
     */
    void holdDuringScan() {
        if (held == null) {
            held = new LinkedHashMap<>();
        }
    }

    /**
     * The scan has read every file: the probes it asked for start in a task of their own on this thread,
     * after the scan's caller has used what it read. Starting 1,000 probes takes the registry thread most
     * of a second, and the first tool calls wait for the first scan only (FirstLook), not for that.
     */
    void releaseHeld() {
        if (held == null) {
            return;
        }
        try {
            loop.execute(this::startHeld);
        } catch (RejectedExecutionException e) {
            startHeld(); // the registry thread is stopping (exit): completes the waiting futures, starts nothing
        }
    }

    /** Starts the held probes (of entries still current and routable); a probe asked for meanwhile is among them. */
    private void startHeld() {
        Map<LiveInstance, CompletableFuture<Object>> asked = held;
        held = null;
        if (asked == null) {
            return;
        }
        asked.forEach((e, done) -> {
            if (lifecycle.current(e) && e.registration() != null && !e.duplicate()) {
                probe(e).whenComplete((v, x) -> done.complete(null));
            } else {
                done.complete(null);
            }
        });
    }

    /** Re-probes a lost entry after the backoff its failures in a row call for, unless it changed meanwhile. */
    void retryLater(LiveInstance e) {
        long gen = e.generation();
        long delay = RetryPolicy.PROBE.delay(e.failures()).toMillis();
        e.scheduleRetry(loop.schedule(() -> {
            if (lifecycle.current(e) && e.generation() == gen && lost(e)) {
                probe(e);
            }
        }, delay, TimeUnit.MILLISECONDS));
    }

    /**
     * The first probe of a JVM pays for loading the HTTP client (about 0.3 s); pay it at startup
     * instead, so the first instance to register shows up in milliseconds. Port 1 on loopback:
     * nothing listens there, the refusal is the point.
     */
    void warmUp() {
        if (exiting.getAsBoolean()) {
            return;
        }
        new OpenCodeClient(http, json, 1, null, settings.healthTimeout()).health(settings.healthTimeout())
                .exceptionally(e -> null);
    }
}
