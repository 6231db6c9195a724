package org.opencodemcp.server.tools.session;

import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.opencodemcp.server.threads.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams a turn's text to the MCP client as progress notifications: deltas are coalesced and sent at
 * most every {@link #INTERVAL_MS} ms, {@code progress} is the number of characters so far (so it only
 * grows) and {@code message} is the new text. Does nothing when the client gave no progress token.
 *
 * <p>One shared timer only decides when; the send itself (a write that blocks while the client does
 * not read) runs on a sender thread, one at a time per call, so a slow or stuck client delays only its
 * own progress. Text that piles up meanwhile is coalesced and capped at {@link #MAX_PENDING} chars.
 *
 * <p>Sends happen under {@code sendLock}, which {@link #close()} takes, so once close returns no
 * notification can follow: the tool result is always the last thing the client hears about the call.
 */
final class ProgressStreamer implements AutoCloseable {
    static final long INTERVAL_MS = 150;
    /** Progress is a preview (the result carries the whole text): beyond this, the oldest unsent text is dropped. */
    static final int MAX_PENDING = 64 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(ProgressStreamer.class);
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(DaemonThreads.numbered("progress-flush"));
    /** At most this many calls' sends in flight at once; beyond, a tick is skipped and the text waits for the next. */
    private static final ThreadPoolExecutor SENDERS = new ThreadPoolExecutor(0, 32, 30, TimeUnit.SECONDS,
            new SynchronousQueue<>(), DaemonThreads.numbered("progress-send"));

    private final Consumer<McpSchema.ProgressNotification> sink;
    private final Object token;
    private final StringBuilder pending = new StringBuilder();
    private final Object sendLock = new Object();
    private final AtomicBoolean sending = new AtomicBoolean();
    private final ScheduledFuture<?> task;
    private long sent;
    private long dropped;
    private volatile boolean closed;

    ProgressStreamer(McpSyncServerExchange exchange, Object token) {
        this(exchange::progressNotification, token);
    }

    /** With any sink: the tests use one that blocks like a client that stopped reading. */
    ProgressStreamer(Consumer<McpSchema.ProgressNotification> sink, Object token) {
        this.sink = sink;
        this.token = token;
        this.task = token == null ? null
                : TIMER.scheduleWithFixedDelay(this::tick, INTERVAL_MS, INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    /** Called from the event thread: only buffers, never blocks on the client. */
    void append(String delta) {
        if (token == null || delta == null || delta.isEmpty() || closed) {
            return;
        }
        synchronized (pending) {
            pending.append(delta);
            int over = pending.length() - MAX_PENDING;
            if (over > 0) {
                pending.delete(0, over);
                dropped += over;
            }
        }
    }

    /** On the timer: hands a send to a sender thread unless this call's previous send is still writing. */
    private void tick() {
        if (closed || !sending.compareAndSet(false, true)) {
            return;
        }
        try {
            SENDERS.execute(() -> {
                try {
                    flush();
                } finally {
                    sending.set(false);
                }
            });
        } catch (RejectedExecutionException busy) {
            sending.set(false); // every sender is stuck on some client: try again next tick
        }
    }

    void flush() {
        synchronized (sendLock) {
            if (closed) {
                return;
            }
            String message;
            synchronized (pending) {
                if (pending.length() == 0) {
                    return;
                }
                message = pending.toString();
                pending.setLength(0);
                sent += message.length() + dropped;
                dropped = 0;
            }
            try {
                sink.accept(McpSchema.ProgressNotification.builder(token, sent).message(message).build());
            } catch (RuntimeException e) {
                // the client went away; the result (if it can still be delivered) carries the full text anyway
                LOG.debug("progress notification failed: {}", e.toString());
            }
        }
    }

    /** Sends what is left (after any send in flight), then stops for good. */
    @Override
    public void close() {
        if (task != null) {
            task.cancel(false);
        }
        synchronized (sendLock) {
            flush();
            closed = true;
        }
    }
}
