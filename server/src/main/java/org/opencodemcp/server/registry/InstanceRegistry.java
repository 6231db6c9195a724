package org.opencodemcp.server.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.opencodemcp.server.config.Settings;
import org.opencodemcp.server.instance.Instance;
import org.opencodemcp.server.instance.InstanceView;
import org.opencodemcp.server.opencode.HttpClientShutdown;
import org.opencodemcp.server.threads.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live registry: one {@link LiveInstance} per registration file, kept current by the directory
 * watcher (fast path), a periodic rescan (safety net), probes, and each instance's event stream.
 * This class starts and stops the "registry" thread and its timers and answers the readers; every
 * change of an entry runs on that thread, in {@link EntryLifecycle}. Readers get immutable
 * {@link Snapshot}s, or an entry as the read-only {@link Instance}.
 */
public final class InstanceRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceRegistry.class);

    private final Settings settings;
    private final HttpClient http;
    private final ScheduledExecutorService loop;
    private final Entries entries;
    private final EntryLifecycle lifecycle;
    private final FirstLook firstLook = new FirstLook();
    private final AtomicBoolean started = new AtomicBoolean();
    /** Set by closeForExit: nothing new is started on the network. */
    private volatile boolean exiting;

    /** An immutable list of views with the change counter it was built at. */
    public record Snapshot(long version, List<InstanceView> instances) {}

    public InstanceRegistry(Settings settings, HttpClient http, ObjectMapper json, Clock clock) {
        this.settings = settings;
        this.http = http;
        this.loop = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("registry"));
        this.entries = new Entries(settings.registryDir(), clock);
        this.lifecycle = new EntryLifecycle(settings, http, json, clock, loop, entries, () -> exiting);
    }

    /**
     * Starts watching and scanning; returns at once. {@link #firstScan()} completes after the first full
     * scan. Idempotent: stdio starts it right after the server's first answer (usually tools/list's), a
     * second later, or at the first tool call that needs it, so that the scan, the probes and the HTTP
     * client's set-up do not compete with the first answers for the CPU.
     */
    public void start() {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        loop.execute(() -> {
            try {
                firstLook.scanned(lifecycle.scan(false));
                lifecycle.probing().warmUp();
            } catch (RuntimeException e) {
                // a failed first scan must not make every later tool call wait for it
                LOG.warn("first scan of {} failed: {} (the periodic scan retries)", settings.registryDir(), e.toString());
                firstLook.failed();
            }
        });
        long every = Math.max(100, settings.discoveryInterval().toMillis());
        loop.scheduleWithFixedDelay(this::periodic, every, every, TimeUnit.MILLISECONDS);
        loop.scheduleWithFixedDelay(() -> lifecycle.feeds().watch(entries.all()), 5, 5, TimeUnit.SECONDS);
        loop.scheduleWithFixedDelay(lifecycle::checkDirectoryIdentity, 1, 1, TimeUnit.SECONDS);
    }

    public CompletableFuture<Void> firstScan() {
        return firstLook.firstScan();
    }

    /**
     * Starts the registry if nothing did yet and waits, at most {@code limit}, until the first scan and
     * the first probe of each instance it found have ended (a large fleet: until it is read); see
     * {@link FirstLook}. Later calls return at once.
     */
    public void awaitFirstLook(Duration limit) {
        if (firstLook.done()) {
            return;
        }
        start();
        firstLook.await(limit, entries::size);
    }

    public Settings settings() {
        return settings;
    }

    /** Why the registry directory cannot be watched or read, or null when all is well. */
    public String directoryProblem() {
        return lifecycle.directory().problem();
    }

    public boolean watcherAlive() {
        return lifecycle.directory().alive();
    }

    /** The current views, sorted by name; rebuilt only when something changed. Never touches the network. */
    public Snapshot snapshot() {
        return entries.snapshot();
    }

    /** All entries (any state), read-only, for name matching by the tools. */
    public List<Instance> instances() {
        return List.copyOf(entries.all());
    }

    /**
     * Rescans the directory and probes every entry now (online ones too), completing when every
     * probe has answered or timed out.
     */
    public CompletableFuture<Snapshot> refresh() {
        CompletableFuture<List<CompletableFuture<?>>> started = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                started.complete(lifecycle.scan(true));
            } catch (RuntimeException e) {
                started.completeExceptionally(e);
            }
        });
        return started.thenCompose(probes -> CompletableFuture.allOf(probes.toArray(CompletableFuture[]::new)))
                .thenApplyAsync(v -> snapshot(), loop);
    }

    private void periodic() {
        try {
            lifecycle.scan(false);
        } catch (RuntimeException e) {
            LOG.error("periodic rescan failed", e);
        }
    }

    /**
     * At process exit: stops the watcher and the registry thread, then the HTTP client's selector thread
     * and the port checks' poller. The watcher's poll thread, the selector thread and the port-check
     * poller sit in native code, where the JVM's exit waits up to 300 ms for them. Nothing is closed one
     * by one (1,000 stream cancels took ~150 ms; the client's shutdownNow() 280 ms): the process's end
     * closes the connections.
     */
    public void closeForExit() {
        exiting = true; // a scan still running starts no probe (a probe could make a new poller thread)
        lifecycle.directory().close();
        loop.shutdownNow();
        try {
            // a scan that was running may have (re)made the watcher after the close above
            if (loop.awaitTermination(100, TimeUnit.MILLISECONDS)) {
                lifecycle.directory().close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // The HTTP client's selector thread leaves epoll_wait when interrupted; shutdownNow() would first
        // abort every open request (1,000 event streams: 80 ms, then 200 ms to close them): only a fallback.
        if (!HttpClientShutdown.interruptSelectorThread(http)) {
            HttpClientShutdown.shutdownNow(http);
            HttpClientShutdown.awaitTermination(http, Duration.ofMillis(250));
        }
        PortCheck.shutdownNow();
    }

    @Override
    public void close() {
        lifecycle.directory().close();
        loop.shutdownNow();
        for (LiveInstance e : entries.all()) {
            lifecycle.feeds().stop(e);
        }
    }
}
