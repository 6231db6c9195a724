package org.opencodemcp.server.registry;

import io.methvin.watcher.DirectoryChangeEvent;
import io.methvin.watcher.DirectoryWatcher;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the registry directory (inotify through directory-watcher) and reports each touched
 * top-level path; an overflow reports null, meaning "rescan everything". The periodic rescan
 * ({@link EntryLifecycle#scan}) is the safety net for anything the watcher misses.
 */
final class RegistryWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryWatcher.class);

    private final DirectoryWatcher watcher;

    private RegistryWatcher(DirectoryWatcher watcher) {
        this.watcher = watcher;
    }

    static RegistryWatcher start(Path dir, Consumer<Path> onPath) throws IOException {
        DirectoryWatcher watcher = DirectoryWatcher.builder()
                .path(dir)
                .fileHashing(false) // hashing would read every file, including 10 MB junk, on each event
                .logger(org.slf4j.helpers.NOPLogger.NOP_LOGGER)
                .listener(event -> {
                    if (event.eventType() == DirectoryChangeEvent.EventType.OVERFLOW) {
                        onPath.accept(null);
                        return;
                    }
                    Path p = event.path();
                    if (p != null && dir.equals(p.getParent())) {
                        onPath.accept(p);
                    } else if (p != null && p.equals(dir)) {
                        onPath.accept(null);
                    }
                })
                .build();
        watcher.watchAsync().whenComplete((v, e) -> {
            if (e != null) {
                LOG.warn("registry watcher stopped: {}", e.toString());
            }
        });
        return new RegistryWatcher(watcher);
    }

    boolean isAlive() {
        return !watcher.isClosed();
    }

    @Override
    public void close() {
        try {
            watcher.close();
        } catch (IOException e) {
            LOG.debug("closing watcher: {}", e.toString());
        }
    }
}
