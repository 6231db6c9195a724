package org.opencodemcp.server.registry;

import org.opencodemcp.contract.Registration;
import org.opencodemcp.contract.SafeText;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.opencodemcp.server.config.Settings;
import org.opencodemcp.server.instance.Instance;
import org.opencodemcp.server.instance.InstanceState;
import org.opencodemcp.server.instance.InstanceView;
import org.opencodemcp.server.opencode.HttpClientShutdown;
import org.opencodemcp.server.threads.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live registry: one {@link LiveInstance} per registration file, kept current by the directory
 * watcher (fast path), a periodic rescan (safety net), probes, and each instance's event stream.
 *
 * <p>Every lifecycle change (an entry's target, state, client, stream, timers; the entry map) runs on
 * one "registry" thread, so the lifecycle has no locks; network work is asynchronous and posts its
 * results back to that thread. The one exception: each stream's events update the entry's session
 * activity on the HTTP-client thread that delivers them (see {@link LiveInstance}). Readers get
 * immutable {@link Snapshot}s, or an entry as the read-only {@link Instance}.
 */
public final class InstanceRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceRegistry.class);

    private final Settings settings;
    private final HttpClient http;
    private final ObjectMapper json;
    private final Probing probing;
    private final Pruning pruning;
    private final Clock clock;
    private final ScheduledExecutorService loop;
    private final EventFeeds feeds;
    private final DirectoryWatch directory;
    private final Entries entries;
    private final FirstLook firstLook = new FirstLook();
    private final java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
    /** Set by closeForExit: nothing new is started on the network. */
    private volatile boolean exiting;

    /** An immutable list of views with the change counter it was built at. */
    public record Snapshot(long version, List<InstanceView> instances) {}

    public InstanceRegistry(Settings settings, HttpClient http, ObjectMapper json, Clock clock) {
        this.settings = settings;
        this.http = http;
        this.json = json;
        this.clock = clock;
        this.loop = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("registry"));
        this.entries = new Entries(settings.registryDir(), clock);
        this.pruning = new Pruning(clock, settings.pruneAfter());
        this.probing = new Probing(settings, http, json, loop, () -> exiting, lifecycle);
        this.feeds = new EventFeeds(loop, clock, System::nanoTime, entries::current, this::probe, this::changed);
        this.directory = new DirectoryWatch(settings.registryDir(), settings.discoveryInterval(), path -> loop.execute(() -> {
            if (path == null) {
                rescan(false);
            } else {
                fileTouched(path);
            }
        }), this::changed);
    }

    /**
     * Starts watching and scanning; returns at once. {@link #firstScan()} completes after the first full
     * scan. Idempotent: stdio starts it right after the initialize answer (or a second later), so that
     * the scan, the probes and the HTTP client's set-up do not compete with that answer for the CPU.
     */
    public void start() {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        loop.execute(() -> {
            try {
                directory.ensure();
                firstLook.scanned(rescan(false));
                probing.warmUp();
            } catch (RuntimeException e) {
                // a failed first scan must not make every later tool call wait for it
                LOG.warn("first scan of {} failed: {} (the periodic scan retries)", settings.registryDir(), e.toString());
                firstLook.failed();
            }
        });
        long every = Math.max(100, settings.discoveryInterval().toMillis());
        loop.scheduleWithFixedDelay(this::periodic, every, every, TimeUnit.MILLISECONDS);
        loop.scheduleWithFixedDelay(() -> feeds.watch(entries.all()), 5, 5, TimeUnit.SECONDS);
        loop.scheduleWithFixedDelay(this::checkDirectoryIdentity, 1, 1, TimeUnit.SECONDS);
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
        return directory.problem();
    }

    public boolean watcherAlive() {
        return directory.alive();
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
                directory.ensure();
                started.complete(rescan(true));
            } catch (RuntimeException e) {
                started.completeExceptionally(e);
            }
        });
        return started.thenCompose(probes -> CompletableFuture.allOf(probes.toArray(CompletableFuture[]::new)))
                .thenApplyAsync(v -> snapshot(), loop);
    }

    // ---- registry thread -------------------------------------------------------------------

    private void periodic() {
        try {
            directory.ensure();
            rescan(false);
        } catch (RuntimeException e) {
            LOG.error("periodic rescan failed", e);
        }
    }

    /**
     * Once a second: if the directory was deleted or replaced (another inode), the watch on the old
     * one is dead; watch the new one at once and rescan, instead of waiting for the periodic scan.
     */
    private void checkDirectoryIdentity() {
        if (directory.rewatchIfReplaced()) {
            rescan(false);
        }
    }

    /** Reads the directory; returns the probes started (all of them when {@code probeAll}). */
    private List<CompletableFuture<?>> rescan(boolean probeAll) {
        List<CompletableFuture<?>> probes = new ArrayList<>();
        Set<LiveInstance> justProbed = new HashSet<>();
        Path dir = settings.registryDir();
        if (directory.trusted() && Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            DirectoryScan.Pass pass;
            try {
                probing.holdDuringScan();
                try {
                    pass = DirectoryScan.run(dir, () -> exiting, (f, read) -> {
                        CompletableFuture<?> p = registrationRead(f, read);
                        if (p != null) {
                            probes.add(p);
                            justProbed.add(entries.get(f));
                        }
                    });
                } finally {
                    probing.releaseHeld();
                }
            } catch (IOException | RuntimeException e) {
                directory.problem("cannot list registry directory " + dir + ": " + e.getMessage());
                return probes;
            }
            if (!pass.complete()) {
                return probes; // a scan cut short by the exit: what it did not see is not gone
            }
            for (Path known : entries.files()) {
                if (!pass.seen().contains(known)) {
                    removed(known);
                }
            }
        }
        if (probeAll) {
            // Everything not probed by fileTouched above, online entries included: "refresh" means now.
            for (LiveInstance e : entries.all()) {
                if (e.registration() != null && !e.duplicate() && !justProbed.contains(e)) {
                    probes.add(probe(e));
                }
            }
        }
        for (LiveInstance e : entries.copy()) {
            pruneIfDead(e);
        }
        return probes;
    }

    /** A file appeared, changed or vanished. Returns the probe started, if any. */
    private CompletableFuture<?> fileTouched(Path file) {
        if (AuthFile.isAuthFile(file)) {
            // a fixed credentials file revives its invalid instance; a good one is re-read on every probe
            LiveInstance owner = entries.get(AuthFile.registrationFor(file));
            return owner != null && owner.state() == InstanceState.INVALID ? fileTouched(owner.file()) : null;
        }
        if (!RegistryFile.isCandidate(file) || !directory.trusted()) {
            return null;
        }
        return registrationRead(file, RegistryFile.read(file));
    }

    /** Acts on what a registration file held when read. Returns the probe started, if any. */
    private CompletableFuture<?> registrationRead(Path file, RegistryFile.Read read) {
        if (!directory.trusted()) {
            return null;
        }
        if (read instanceof RegistryFile.Gone) {
            removed(file);
            return null;
        }
        LiveInstance e = entries.getOrAdd(file, () -> new LiveInstance(file, owner, clock));
        if (e == null) {
            return null; // the table is full
        }
        RegistryFile.Stamp stamp = read instanceof RegistryFile.Content c ? c.stamp() : null; // a digest: the bytes are not kept
        RegistrationChange.Next change = RegistrationChange.of(read, stamp != null && stamp.sameContent(e.stampRead()),
                e.registration(), e.state());
        e.setStamp(stamp);
        if (change instanceof RegistrationChange.Unchanged) {
            return null;
        }
        if (change instanceof RegistrationChange.Invalid bad) {
            invalid(e, bad.reason());
            reconcileDuplicates();
            return null;
        }
        if (change instanceof RegistrationChange.Heartbeat beat) {
            // the connector is alive: re-probe at once if we thought it gone
            e.setRegistration(beat.registration());
            changed();
            return Probing.lost(e) ? probe(e) : null;
        }
        Registration reg = ((RegistrationChange.NewTarget) change).registration();
        e.setRegistration(reg);
        LOG.info("registration {}: {} at 127.0.0.1:{} ({}:{})", e.fileName(), reg.name(), reg.port(), SafeText.log(reg.hostname()),
                SafeText.log(reg.cwd()));
        retarget(e);
        setState(e, InstanceState.PROBING, null);
        reconcileDuplicates();
        return e.duplicate() ? null : probe(e);
    }

    private void removed(Path file) {
        LiveInstance e = entries.remove(file);
        if (e != null) {
            LOG.info("registration {} removed ({})", e.fileName(), e.name());
            closeTarget(e);
            reconcileDuplicates();
            changed();
        }
    }

    private void invalid(LiveInstance e, String reason) {
        if (e.state() != InstanceState.INVALID || !reason.equals(e.reason())) {
            LOG.warn("registration {} is invalid: {}", e.fileName(), SafeText.log(reason));
        }
        e.setRegistration(null);
        retarget(e);
        setState(e, InstanceState.INVALID, reason);
    }

    /** Two files claiming one name: neither is routed to, both say why. */
    private void reconcileDuplicates() {
        Map<String, String> nameByFile = new HashMap<>();
        for (LiveInstance e : entries.all()) {
            if (e.registration() != null) {
                nameByFile.put(e.fileName(), e.registration().name());
            }
        }
        Map<String, List<String>> duplicates = DuplicateNames.otherClaimants(nameByFile);
        for (LiveInstance e : entries.copy()) {
            if (e.registration() == null) {
                continue;
            }
            List<String> others = duplicates.get(e.fileName());
            if (others != null && !e.duplicate()) {
                e.markDuplicate(true);
                retarget(e);
                setState(e, InstanceState.INVALID, "duplicate name \"" + e.name() + "\": also claimed by "
                        + String.join(", ", others) + "; remove the stale file or set INSTANCE_NAME");
                LOG.warn("registration {}: {}", e.fileName(), e.reason());
            } else if (others == null && e.duplicate()) {
                e.markDuplicate(false);
                setState(e, InstanceState.PROBING, null);
                probe(e);
            }
        }
    }

    private CompletableFuture<?> probe(LiveInstance e) {
        return probing.probe(e);
    }

    /** What a probe found, acted on (registry thread); the future ends when the entry's state is known. */
    private CompletableFuture<?> probed(LiveInstance e, long gen, ProbeOutcome outcome) {
        if (e.generation() != gen || !entries.current(e) || e.registration() == null || e.duplicate()) {
            return DONE; // the file changed or vanished while the probe was in flight
        }
        ProbeVerdict.Next verdict = ProbeVerdict.after(outcome, e.state(), e.failures());
        if (verdict instanceof ProbeVerdict.Online online) {
            e.markSeen(clock.instant(), online.version());
            if (e.state() != InstanceState.ONLINE) {
                LOG.info("{} is online (opencode {}) on port {}", e.name(), online.version(), e.registration().port());
                setState(e, InstanceState.ONLINE, null);
            }
            feeds.online(e);
            changed();
            return DONE;
        }
        if (verdict instanceof ProbeVerdict.AskAgain) {
            e.failed();
            return probe(e);
        }
        ProbeVerdict.Lost lost = (ProbeVerdict.Lost) verdict;
        feeds.suspend(e);
        if (e.state() != lost.state()) {
            LOG.warn("{} is {}: {}", e.name(), lost.state().label(), SafeText.log(lost.reason()));
            setState(e, lost.state(), lost.reason());
        } else {
            e.setReason(lost.reason());
        }
        e.failed();
        changed();
        probing.retryLater(e);
        pruneIfDead(e);
        return DONE;
    }

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    /** Told by the probes, on the registry thread. */
    private final Probing.Lifecycle lifecycle = new Probing.Lifecycle() {
        @Override
        public CompletableFuture<?> probed(LiveInstance e, long generation, ProbeOutcome outcome) {
            return InstanceRegistry.this.probed(e, generation, outcome);
        }

        @Override
        public void unusableCredentials(LiveInstance e, String problem) {
            invalid(e, problem);
            reconcileDuplicates();
        }

        @Override
        public boolean current(LiveInstance e) {
            return entries.current(e);
        }
    };

    /** Told by each entry, from HTTP-client threads: its stream ended, or its sessions' activity changed. */
    private final LiveInstance.Owner owner = new LiveInstance.Owner() {
        @Override
        public void streamClosed(LiveInstance instance, long generation, Throwable cause, boolean connected, Duration lived) {
            feeds.streamClosed(instance, generation, cause, connected, lived);
        }

        @Override
        public void activityChanged(LiveInstance instance) {
            changed();
        }
    };

    /** Deletes a registration {@link Pruning} finds dead, and drops its entry. */
    private void pruneIfDead(LiveInstance e) {
        if (pruning.pruneIfDead(e)) {
            removed(e.file());
        }
    }

    private void retarget(LiveInstance e) {
        closeTarget(e);
        e.nextGeneration();
    }

    private void closeTarget(LiveInstance e) {
        e.cancelRetry();
        feeds.stop(e);
        e.useClient(null);
        e.clearActivity();
    }

    private void setState(LiveInstance e, InstanceState state, String reason) {
        e.transition(state, reason, clock.instant());
        changed();
    }

    private void changed() {
        entries.changed();
    }

    /**
     * At process exit: stops the watcher and the registry thread, then the HTTP client (Java 21+) and
     * the port checks' poller, and waits (briefly) for the client's selector thread to end. The
     * watcher's poll thread, the selector thread and the port-check poller sit in native code, where
     * the JVM's exit waits up to 300 ms for them. The instances' streams are not closed one by one
     * (1,000 cancels took ~150 ms): the client's shutdown drops every connection at once.
     */
    public void closeForExit() {
        exiting = true; // a scan still running starts no probe (a probe could make a new poller thread)
        directory.close();
        loop.shutdownNow();
        try {
            // a scan that was running may have (re)made the watcher after the close above
            if (loop.awaitTermination(100, TimeUnit.MILLISECONDS)) {
                directory.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        HttpClientShutdown.shutdownNow(http);
        PortCheck.shutdownNow();
        HttpClientShutdown.awaitTermination(http, Duration.ofMillis(250));
    }

    @Override
    public void close() {
        directory.close();
        loop.shutdownNow();
        for (LiveInstance e : entries.all()) {
            feeds.stop(e);
        }
    }
}
