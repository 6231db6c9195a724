package org.opencodemcp.server.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry directory as a whole: whether it can be trusted (owner and mode, re-checked on every
 * scan: it may turn bad later), the watcher on it, and noticing a directory deleted or replaced (the
 * watch on the old inode is dead). Says what is wrong in one line ({@link #problem()}) for the
 * health report and the listing. Written on the registry thread; read by tool threads.
 */
final class DirectoryWatch {
    private static final Logger LOG = LoggerFactory.getLogger(DirectoryWatch.class);

    private final Path dir;
    private final Duration rescanEvery;
    private final Consumer<Path> onPath;
    private final Runnable changed;
    /** The inode (file key) of the directory the watcher watches: a recreated directory has another. */
    private volatile Object watchedKey;
    private volatile RegistryWatcher watcher;
    private volatile String problem;
    /** False while the directory fails its owner/mode check: nothing in it is read then. */
    private volatile boolean trusted = true;

    /**
     * @param onPath  told (on the watcher's thread) of each touched file, or null for "rescan everything"
     * @param changed told when {@link #problem()} changed
     */
    DirectoryWatch(Path dir, Duration rescanEvery, Consumer<Path> onPath, Runnable changed) {
        this.dir = dir;
        this.rescanEvery = rescanEvery;
        this.onPath = onPath;
        this.changed = changed;
    }

    /** Checks the directory (creating it when missing) and watches it unless a live watcher does. */
    void ensure() {
        String untrusted = RegistryDirectory.prepare(dir);
        trusted = untrusted == null;
        if (untrusted != null) {
            problem(untrusted);
            return;
        }
        if (alive()) {
            if (problem != null) {
                LOG.info("registry directory {} is usable again", dir);
                problem = null;
                changed.run();
            }
            return;
        }
        try {
            watchedKey = directoryKey();
            watcher = RegistryWatcher.start(dir, onPath);
            if (problem != null) {
                LOG.info("registry directory {} is usable again", dir);
            }
            problem = null;
        } catch (IOException | RuntimeException e) {
            problem("cannot watch registry directory " + dir + ": " + e.getMessage() + " (rescanning every "
                    + rescanEvery.toMillis() + " ms instead)");
        }
    }

    /**
     * If the directory was deleted or replaced (another inode), watches the new one at once. Returns
     * true when it did: the caller rescans instead of waiting for the periodic scan.
     */
    boolean rewatchIfReplaced() {
        if (watcher == null) {
            return false; // not watching (an untrusted or unwatchable directory): the periodic scan retries
        }
        Object now = directoryKey();
        if (Objects.equals(now, watchedKey) && alive()) {
            return false;
        }
        LOG.warn("registry directory {} was {}; watching it again", dir, now == null ? "removed" : "replaced");
        close();
        watcher = null;
        ensure();
        return true;
    }

    /** Whether the directory passed its owner/mode check: nothing in it is read while it does not. */
    boolean trusted() {
        return trusted;
    }

    boolean alive() {
        RegistryWatcher w = watcher;
        return w != null && w.isAlive();
    }

    /** Why the directory cannot be watched or read, or null when all is well. */
    String problem() {
        return problem;
    }

    /** Records (and logs once) why the directory cannot be watched or read. */
    void problem(String message) {
        if (!message.equals(problem)) {
            LOG.error(message);
        }
        problem = message;
        changed.run();
    }

    /** Stops the watcher, if any (a later {@link #ensure} starts another). */
    void close() {
        RegistryWatcher w = watcher;
        if (w != null) {
            w.close();
        }
    }

    private Object directoryKey() {
        try {
            return Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return null;
        }
    }
}
