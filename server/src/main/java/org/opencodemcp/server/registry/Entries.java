package org.opencodemcp.server.registry;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.opencodemcp.contract.SafeText;
import org.opencodemcp.server.instance.InstanceView;
import org.opencodemcp.server.logging.RepeatedLines;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's table: one {@link LiveInstance} per registration file, at most {@link #MAX}, and the
 * listing built from it, cached until something visible changes. Entries are added and removed on the
 * registry thread only; {@link #changed} is called from any thread (event dispatch too); any thread
 * reads.
 */
final class Entries {
    private static final Logger LOG = LoggerFactory.getLogger(Entries.class);
    /** The most registry entries kept (each costs a few KiB); a directory with more is junk or an attack. */
    static final int MAX = 10_000;

    private final Path dir;
    private final RepeatedLines repeats;
    private final Map<Path, LiveInstance> byFile = new ConcurrentHashMap<>();
    private final AtomicLong changes = new AtomicLong();
    private volatile InstanceRegistry.Snapshot snapshot = new InstanceRegistry.Snapshot(-1, List.of());

    Entries(Path dir, Clock clock) {
        this.dir = dir;
        this.repeats = new RepeatedLines(Duration.ofSeconds(60), clock);
    }

    LiveInstance get(Path file) {
        return byFile.get(file);
    }

    /** Whether {@code e} is still the entry for its file (not removed, not replaced). */
    boolean current(LiveInstance e) {
        return byFile.get(e.file()) == e;
    }

    /** The entry for {@code file}, made if needed; null when the table is full (said in the log once a minute). */
    LiveInstance getOrAdd(Path file, Supplier<LiveInstance> make) {
        LiveInstance e = byFile.get(file);
        if (e != null) {
            return e;
        }
        if (byFile.size() >= MAX) {
            tooMany(file);
            return null;
        }
        e = make.get();
        byFile.put(file, e);
        return e;
    }

    LiveInstance remove(Path file) {
        return byFile.remove(file);
    }

    /** A live view of every entry (iteration sees concurrent changes). */
    Collection<LiveInstance> all() {
        return byFile.values();
    }

    List<LiveInstance> copy() {
        return List.copyOf(byFile.values());
    }

    List<Path> files() {
        return List.copyOf(byFile.keySet());
    }

    int size() {
        return byFile.size();
    }

    /** Something shown in the listing changed: the next {@link #snapshot} is rebuilt. */
    void changed() {
        changes.incrementAndGet();
    }

    /** The current views, sorted by name; rebuilt only when something changed. Never touches the network. */
    InstanceRegistry.Snapshot snapshot() {
        InstanceRegistry.Snapshot s = snapshot;
        long v = changes.get();
        if (s.version() == v) {
            return s;
        }
        List<InstanceView> views = new ArrayList<>(byFile.size());
        for (LiveInstance e : byFile.values()) {
            views.add(e.view());
        }
        views.sort(Comparator.comparing(InstanceView::name, String.CASE_INSENSITIVE_ORDER).thenComparing(InstanceView::file));
        InstanceRegistry.Snapshot fresh = new InstanceRegistry.Snapshot(v, List.copyOf(views));
        snapshot = fresh;
        return fresh;
    }

    /** A bound, not a feature: past it, further files are named in the log once a minute and left alone. */
    private void tooMany(Path file) {
        String suffix = repeats.admit("too-many");
        if (suffix != null) {
            LOG.error("the registry already holds {} entries, the most this server keeps; ignoring {} and any further file "
                    + "(remove stale files from {}){}", MAX, SafeText.log(file.getFileName().toString()), dir, suffix);
        }
    }
}
