package org.opencodemcp.server.registry;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

/**
 * The file reads of one directory scan, done in order on one opener thread ahead of the registry
 * thread, which takes each result as it gets to that file.
 *
 * <p>Why: reading each file through {@link NonBlockingOpen} costs two thread hand-offs per file, and on a
 * busy machine each hand-off waits for a CPU: the first scan of 1,000 registrations took 1.5-4.3 s
 * of which little was work (plans/performance.md). Here the opener thread reads file after file in
 * its own time slices. The FIFO defence is kept: when a file's read does not come within
 * {@link RegistryFile#OPEN_LIMIT} the opener is released as {@link NonBlockingOpen} does, that file is
 * reported as blocked, the batch is abandoned, and the rest of the scan reads file by file as before.
 */
final class ScanReads {
    /**
     * The most files the opener reads ahead of the registry thread (each at most 64 KiB: a bound on
     * the bytes held, MisbehavingFleetIT's 1,500 junk files in a 64 MiB heap). Room is given back
     * half a window at a time, so the opener wakes once per {@code AHEAD / 2} files, not per file.
     */
    static final int AHEAD = 32;
    /** An opener whose reads nobody takes for this long stops: the scan ended early. */
    private static final long UNTAKEN_SECONDS = 10;
    private static final CompletableFuture<RegistryFile.Read> TAKEN = CompletableFuture.completedFuture(null);

    private final List<Path> files;
    private final Semaphore room = new Semaphore(AHEAD);
    private int taken;
    private volatile boolean openerStopped;
    private final Function<Path, RegistryFile.Read> openerRead;
    /** One per file; a taken read is replaced by {@link #TAKEN}, so the scan holds no bytes it has used. */
    private final AtomicReferenceArray<CompletableFuture<RegistryFile.Read>> reads;
    private volatile boolean abandoned;
    private boolean batched;

    private ScanReads(List<Path> files, Function<Path, RegistryFile.Read> openerRead) {
        this.files = files;
        this.openerRead = openerRead;
        this.reads = new AtomicReferenceArray<>(files.size());
        for (int i = 0; i < files.size(); i++) {
            reads.set(i, new CompletableFuture<>());
        }
    }

    /** Starts reading {@code files} in order (on an opener thread when one is free and there is more than one file). */
    static ScanReads start(List<Path> files) {
        return start(files, RegistryFile::readOnOpenerThread);
    }

    /** With the opener thread's read given (tests: one that opens without looking first, as a swapped-in FIFO would be). */
    static ScanReads start(List<Path> files, Function<Path, RegistryFile.Read> openerRead) {
        ScanReads scan = new ScanReads(List.copyOf(files), openerRead);
        scan.batched = files.size() > 1 && NonBlockingOpen.tryRun(scan::readAll);
        return scan;
    }

    private void readAll() {
        for (int i = 0; i < files.size() && !abandoned; i++) {
            try {
                if (!room.tryAcquire(UNTAKEN_SECONDS, TimeUnit.SECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                break;
            }
            try {
                reads.get(i).complete(openerRead.apply(files.get(i)));
            } catch (RuntimeException e) {
                reads.get(i).completeExceptionally(e);
            }
        }
        openerStopped = true;
    }

    /** What the {@code i}-th file held; call in order. */
    RegistryFile.Read read(int i) {
        Path file = files.get(i);
        if (!batched || abandoned) {
            return RegistryFile.read(file);
        }
        try {
            return reads.get(i).get(RegistryFile.OPEN_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            abandoned = true;
            if (openerStopped) {
                return RegistryFile.read(file); // the opener gave up (nobody took its reads for long): read it here
            }
            NonBlockingOpen.release(file);
            return new RegistryFile.Problem("cannot read: opening it blocked for " + RegistryFile.OPEN_LIMIT.toMillis()
                    + " ms: it is not a regular file (a FIFO?)", null);
        } catch (ExecutionException e) {
            return RegistryFile.read(file); // an unexpected failure on the opener thread: read it the usual way
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandoned = true;
            return new RegistryFile.Problem("cannot read: interrupted", null);
        } finally {
            reads.set(i, TAKEN); // a late completion by the opener lands on TAKEN, already complete
            if (++taken % (AHEAD / 2) == 0) {
                room.release(AHEAD / 2);
            }
        }
    }
}
