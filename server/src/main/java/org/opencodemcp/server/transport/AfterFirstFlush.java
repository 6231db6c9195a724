package org.opencodemcp.server.transport;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * stdout that runs a hook once, right after its first flush: the first answer the SDK's server wrote,
 * handed to the kernel. Start-up work the first answers do not need (the registry, the jobs store:
 * plans/performance.md) starts only then, so it does not compete with their serialization and write
 * for the two cores. The hook is given once the server has what it needs
 * ({@link #afterFirstFlush}); when the answer went out before that, it runs then.
 *
 * <p>stdio's early initialize answer ({@link EarlyInitialize}) is written with {@link #writeEarly} and does
 * not count: the hook waits for the first answer the SDK itself writes, normally tools/list's (its own
 * answer to initialize is dropped as a repeat). Started at the early answer, the work slowed the
 * server's build; started when the SDK dropped its initialize answer, it slowed the tools/list answer
 * by 30-45 ms (plans/performance.md). A tool call that needs the registry before then starts it itself.
 */
final class AfterFirstFlush extends FilterOutputStream {
    private static final Logger LOG = LoggerFactory.getLogger(AfterFirstFlush.class);
    private Runnable hook;
    /** set by the first flush (under this stream's monitor); read without it on every later flush */
    private volatile boolean flushed;

    AfterFirstFlush(OutputStream out) {
        super(out);
    }

    /** Runs {@code first} after the first flush: then, on the flushing thread, or now if it already happened. May be null. */
    void afterFirstFlush(Runnable first) {
        boolean now;
        synchronized (this) {
            now = flushed;
            hook = now ? null : first;
        }
        if (now) {
            run(first);
        }
    }

    /** Writes and flushes {@code line} at once, under this stream's monitor, without counting as the first flush. */
    void writeEarly(byte[] line) throws IOException {
        synchronized (this) {
            out.write(line);
            out.flush();
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len); // FilterOutputStream's own writes byte by byte
    }

    @Override
    public void flush() throws IOException {
        out.flush();
        if (flushed) {
            return;
        }
        Runnable first;
        synchronized (this) {
            flushed = true;
            first = hook;
            hook = null;
        }
        run(first);
    }

    private static void run(Runnable first) {
        if (first == null) {
            return;
        }
        try {
            first.run();
        } catch (RuntimeException e) {
            // the answer was written; a failing hook must not look like a failed write to the SDK
            LOG.warn("start-up work after the first answer failed: {}", e.toString());
        }
    }
}
