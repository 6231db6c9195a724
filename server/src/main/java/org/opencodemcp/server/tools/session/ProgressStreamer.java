package org.opencodemcp.server.tools.session;

import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams a turn's text to the MCP client as progress notifications: deltas are coalesced and sent at
 * most every {@link #INTERVAL_MS} ms, {@code progress} is the number of characters so far (so it only
 * grows) and {@code message} is the new text. Does nothing when the client gave no progress token.
 *
 * <p>Sending happens under the lock that {@link #close()} takes, so once close returns no notification
 * can follow: the tool result is always the last thing the client hears about the call.
 */
final class ProgressStreamer implements AutoCloseable {
    static final long INTERVAL_MS = 150;
    private static final Logger LOG = LoggerFactory.getLogger(ProgressStreamer.class);
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "progress-flush");
        t.setDaemon(true);
        return t;
    });

    private final McpSyncServerExchange exchange;
    private final Object token;
    private final StringBuilder pending = new StringBuilder();
    private final ScheduledFuture<?> task;
    private long sent;
    private boolean closed;

    ProgressStreamer(McpSyncServerExchange exchange, Object token) {
        this.exchange = exchange;
        this.token = token;
        this.task = token == null ? null
                : TIMER.scheduleWithFixedDelay(this::flush, INTERVAL_MS, INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    /** Called from the event thread: only buffers, never blocks on the client. */
    void append(String delta) {
        if (token == null || delta == null || delta.isEmpty()) {
            return;
        }
        synchronized (this) {
            if (!closed) {
                pending.append(delta);
            }
        }
    }

    synchronized void flush() {
        if (closed || pending.length() == 0) {
            return;
        }
        String message = pending.toString();
        pending.setLength(0);
        sent += message.length();
        try {
            exchange.progressNotification(McpSchema.ProgressNotification.builder(token, sent).message(message).build());
        } catch (RuntimeException e) {
            // the client went away; the result (if it can still be delivered) carries the full text anyway
            LOG.debug("progress notification failed: {}", e.toString());
        }
    }

    /** Sends what is left, then stops for good. */
    @Override
    public void close() {
        if (task != null) {
            task.cancel(false);
        }
        synchronized (this) {
            flush();
            closed = true;
        }
    }
}
