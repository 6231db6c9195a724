package org.opencodemcp.server.registry;

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
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import org.opencodemcp.contract.Registration;
import org.opencodemcp.contract.SafeText;
import org.opencodemcp.server.config.Settings;
import org.opencodemcp.server.instance.InstanceState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every entry's lifecycle, run on the one "registry" thread: reading the directory and each touched
 * file into entries ({@link DirectoryScan}, {@link RegistrationChange}), duplicate names
 * ({@link DuplicateNames}), acting on probe outcomes ({@link ProbeVerdict}) and pruning
 * ({@link Pruning}). This class and the parts it calls on that thread ({@link Probing},
 * {@link EventFeeds}) are the only writers of an entry's target, state, client, stream and timers, and
 * of the table ({@link Entries}); so the lifecycle has no locks, and network work posts its results
 * back to the thread. The one exception: each stream's events update the entry's session activity on
 * the HTTP-client thread that delivers them (see {@link LiveInstance}).
 */
final class EntryLifecycle implements Probing.Lifecycle, LiveInstance.Owner {
    private static final Logger LOG = LoggerFactory.getLogger(EntryLifecycle.class);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final Path dir;
    private final Clock clock;
    private final Entries entries;
    private final BooleanSupplier exiting;
    private final DirectoryWatch directory;
    private final Probing probing;
    private final Pruning pruning;
    private final EventFeeds feeds;

    /** @param exiting true from the process exit on: nothing new is started on the network */
    EntryLifecycle(Settings settings, HttpClient http, ObjectMapper json, Clock clock, ScheduledExecutorService loop,
            Entries entries, BooleanSupplier exiting) {
        this.dir = settings.registryDir();
        this.clock = clock;
        this.entries = entries;
        this.exiting = exiting;
        this.pruning = new Pruning(clock, settings.pruneAfter());
        this.probing = new Probing(settings, http, json, loop, exiting, this);
        this.feeds = new EventFeeds(loop, clock, System::nanoTime, entries::current, this::probe, this::changed);
        this.directory = new DirectoryWatch(dir, settings.discoveryInterval(), path -> loop.execute(() -> {
            if (path == null) {
                rescan(false);
            } else {
                fileTouched(path);
            }
        }), this::changed);
    }

    DirectoryWatch directory() {
        return directory;
    }

    EventFeeds feeds() {
        return feeds;
    }

    Probing probing() {
        return probing;
    }

    /** Checks the directory (watching it again if need be), then reads it; returns the probes started. */
    List<CompletableFuture<?>> scan(boolean probeAll) {
        directory.ensure();
        return rescan(probeAll);
    }

    /**
     * Once a second: if the directory was deleted or replaced (another inode), the watch on the old
     * one is dead; watch the new one at once and rescan, instead of waiting for the periodic scan.
     */
    void checkDirectoryIdentity() {
        if (directory.rewatchIfReplaced()) {
            rescan(false);
        }
    }

    /** Reads the directory; returns the probes started (all of them when {@code probeAll}). */
    private List<CompletableFuture<?>> rescan(boolean probeAll) {
        List<CompletableFuture<?>> probes = new ArrayList<>();
        Set<LiveInstance> justProbed = new HashSet<>();
        if (directory.trusted() && Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            DirectoryScan.Pass pass;
            try {
                probing.holdDuringScan();
                try {
                    pass = DirectoryScan.run(dir, exiting, (f, read) -> {
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
    CompletableFuture<?> fileTouched(Path file) {
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
        LiveInstance e = entries.getOrAdd(file, () -> new LiveInstance(file, this, clock));
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
    @Override
    public CompletableFuture<?> probed(LiveInstance e, long gen, ProbeOutcome outcome) {
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

    // ---- told by the parts ------------------------------------------------------------------

    /** A probe's credentials file is unusable: nothing may be sent to the instance (registry thread). */
    @Override
    public void unusableCredentials(LiveInstance e, String problem) {
        invalid(e, problem);
        reconcileDuplicates();
    }

    @Override
    public boolean current(LiveInstance e) {
        return entries.current(e);
    }

    /** An entry's stream ended (HTTP-client thread): {@link EventFeeds} handles it on the registry thread. */
    @Override
    public void streamClosed(LiveInstance instance, long generation, Throwable cause, boolean connected, Duration lived) {
        feeds.streamClosed(instance, generation, cause, connected, lived);
    }

    /** An entry's session activity changed (HTTP-client thread): the listing is rebuilt. */
    @Override
    public void activityChanged(LiveInstance instance) {
        changed();
    }

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
}
