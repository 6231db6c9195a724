package org.opencodemcp.server.transport;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * stdout that runs a hook once, right after its first flush: on stdio the first flush is the first
 * answer (initialize's) handed to the kernel. Start-up work the answer does not need (the registry, the
 * jobs store: plans/performance.md) starts only then, so it does not compete with the answer's
 * serialization and write for the two cores, as it did when it started once the answer was queued.
 */
final class AfterFirstFlush extends FilterOutputStream {
    private static final Logger LOG = LoggerFactory.getLogger(AfterFirstFlush.class);
    private final AtomicReference<Runnable> hook;

    /** @param hook runs once, on the thread of the first flush; may be null */
    AfterFirstFlush(OutputStream out, Runnable hook) {
        super(out);
        this.hook = new AtomicReference<>(hook);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len); // FilterOutputStream's own writes byte by byte
    }

    @Override
    public void flush() throws IOException {
        out.flush();
        Runnable first = hook.getAndSet(null);
        if (first != null) {
            try {
                first.run();
            } catch (RuntimeException e) {
                // the answer was written; a failing hook must not look like a failed write to the SDK
                LOG.warn("start-up work after the first answer failed: {}", e.toString());
            }
        }
    }
}
