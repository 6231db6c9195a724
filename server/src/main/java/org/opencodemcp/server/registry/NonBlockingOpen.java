package org.opencodemcp.server.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.opencodemcp.server.threads.DaemonThreads;

/**
 * Opens a registry file for reading without ever blocking the registry thread. A FIFO swapped in
 * between the type check and the open makes {@code open(2)} wait for a writer, and Java cannot ask
 * for {@code O_NONBLOCK}: so the open runs on a small pool with a deadline, and an open that blocks
 * is released by opening the same path for writing once (a FIFO's reader and writer meet), then
 * reported as a problem. If every opener is stuck, opens fail at once until one is free.
 */
final class NonBlockingOpen {
    static final int MAX_OPENERS = 4;
    private static final ThreadPoolExecutor OPENERS = new ThreadPoolExecutor(0, MAX_OPENERS, 10, TimeUnit.SECONDS,
            new SynchronousQueue<>(), DaemonThreads.numbered("registry-open"));

    private NonBlockingOpen() {}

    static InputStream open(Path file, Duration limit) throws IOException {
        CompletableFuture<InputStream> opened;
        try {
            opened = CompletableFuture.supplyAsync(() -> {
                try {
                    return Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, OPENERS);
        } catch (RejectedExecutionException busy) {
            throw new IOException("not opened now: " + MAX_OPENERS + " earlier opens in the registry are still blocked"
                    + " (FIFOs put in place of files?); tried again at the next scan");
        }
        try {
            return opened.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            opened.thenAccept(NonBlockingOpen::closeQuietly);
            release(file);
            throw new IOException("opening it blocked for " + limit.toMillis() + " ms: it is not a regular file (a FIFO?)");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            throw new IOException(String.valueOf(cause), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            opened.thenAccept(NonBlockingOpen::closeQuietly);
            throw new IOException("interrupted while opening");
        }
    }

    /**
     * Runs {@code task} on an opener thread (a task that opens files itself: ScanReads); false when
     * every opener is busy or blocked.
     */
    static boolean tryRun(Runnable task) {
        try {
            OPENERS.execute(task);
            return true;
        } catch (RejectedExecutionException busy) {
            return false;
        }
    }

    /** Frees an opener blocked on a FIFO: its open returns once a writer opens the FIFO too. */
    static void release(Path file) {
        DaemonThreads.thread("registry-open-release", () -> {
            try (FileChannel ignored = FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                // opened and closed: the blocked reader gets an empty read
            } catch (IOException | RuntimeException e) {
                // gone, or not ours to write: nothing more can be done for the blocked opener
            }
        }).start();
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // nothing read from it
        }
    }
}
