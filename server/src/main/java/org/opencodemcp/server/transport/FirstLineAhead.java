package org.opencodemcp.server.transport;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.SequenceInputStream;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.opencodemcp.server.threads.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * stdin whose first line is read ahead, on a thread of its own, from {@link #start} on: the line is
 * shown to a hook (which may answer it, {@link EarlyInitialize}) and then read again, byte for byte,
 * by whoever reads this stream. Nothing is consumed or changed: a reader sees
 * exactly what the client wrote. A first line longer than {@code maxBytes} is not shown (no client's
 * initialize is that long); its bytes are passed on all the same.
 */
final class FirstLineAhead extends InputStream {
    private static final Logger LOG = LoggerFactory.getLogger(FirstLineAhead.class);
    private final InputStream in;
    private final CompletableFuture<byte[]> readAhead = new CompletableFuture<>();
    private InputStream replay;

    /** @param in stdin, buffered; nothing is read from it before {@link #start} */
    FirstLineAhead(InputStream in) {
        this.in = in;
    }

    /**
     * Starts reading the first line. A read of this stream waits for it.
     *
     * @param hook gets the first line without its line end; runs on the read-ahead thread before this
     *        stream gives out any byte
     */
    void start(int maxBytes, Consumer<byte[]> hook) {
        DaemonThreads.thread("stdin-first-line", () -> readAhead(maxBytes, hook)).start();
    }

    private void readAhead(int maxBytes, Consumer<byte[]> hook) {
        ByteArrayOutputStream seen = new ByteArrayOutputStream(512);
        byte[] line = null;
        try {
            int c;
            while (line == null && seen.size() <= maxBytes && (c = in.read()) != -1) {
                seen.write(c);
                if (c == '\n') {
                    line = seen.toByteArray();
                }
            }
        } catch (IOException e) {
            readAhead.completeExceptionally(e); // the reader gets the same failure
            return;
        }
        if (line != null) {
            int end = line.length - 1;
            if (end > 0 && line[end - 1] == '\r') {
                end--;
            }
            try {
                hook.accept(Arrays.copyOf(line, end));
            } catch (RuntimeException e) {
                LOG.debug("first line: {}", e.toString()); // the line still reaches the reader, which answers it
            }
        }
        readAhead.complete(seen.toByteArray());
    }

    private InputStream replay() throws IOException {
        if (replay == null) {
            try {
                replay = new SequenceInputStream(new ByteArrayInputStream(readAhead.get()), in);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while stdin's first line was read");
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            }
        }
        return replay;
    }

    @Override
    public int read() throws IOException {
        return replay().read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return replay().read(b, off, len);
    }

    @Override
    public int available() throws IOException {
        return readAhead.isDone() ? replay().available() : 0;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
