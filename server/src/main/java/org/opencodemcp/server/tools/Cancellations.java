package org.opencodemcp.server.tools;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tool calls the client gave up on ({@code notifications/cancelled}). The SDK ignores that
 * notification, so the transports catch it, and they tag every {@code tools/call} with a key (its
 * connection and request id, in {@code _meta}) that {@link ToolCatalog} registers here while the tool
 * runs. Cancelling interrupts the tool's thread: every wait in a tool (a turn, a probe) ends at once
 * on the interrupt; nothing is sent to OpenCode, so the agent's turn goes on. The transport then drops
 * the call's response, as the specification asks.
 *
 * <p>Bounded: running calls are removed when they end; cancelled keys are kept (for the transport to
 * drop the response, or for a cancel that overtook its request) in a map of at most
 * {@link #MAX_CANCELLED}, oldest forgotten first.
 */
public final class Cancellations {
    private static final Logger LOG = LoggerFactory.getLogger(Cancellations.class);
    /** Where the transports put the call key in a {@code tools/call}'s {@code _meta}; always overwritten. */
    public static final String META_KEY = "opencode-mcp/call";
    static final int MAX_CANCELLED = 1024;

    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final Map<String, Long> cancelled = BoundedMap.oldestFirst(MAX_CANCELLED);

    /** The key of request {@code id} (a JSON string or number) on one connection (an MCP session). */
    public static String key(String connection, Object id) {
        if (id == null) {
            return null;
        }
        String idText = id instanceof String s ? "s:" + s
                : id instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) ? "n:" + n.longValue()
                : "n:" + id;
        return connection + ' ' + idText;
    }

    /** The client cancelled the call with this key: stop its waiting now, and remember to drop its response. */
    public void cancel(String key) {
        if (key == null) {
            return;
        }
        synchronized (cancelled) {
            cancelled.put(key, System.nanoTime());
        }
        Running r = running.get(key);
        if (r != null) {
            r.interrupt();
        }
    }

    /** True when the call was cancelled; its response (and anything else it would still send) is to be dropped. */
    public boolean isCancelled(String key) {
        if (key == null) {
            return false;
        }
        synchronized (cancelled) {
            return cancelled.containsKey(key);
        }
    }

    /** Like {@link #isCancelled}, and forgets the key: for a transport that drops exactly one response. */
    public boolean dropResponse(String key) {
        if (key == null) {
            return false;
        }
        synchronized (cancelled) {
            return cancelled.remove(key) != null;
        }
    }

    /** Calls running now (for tests and health). */
    public int running() {
        return running.size();
    }

    /**
     * Registers the current thread as running the call {@code key} (null: an untagged call, never
     * cancellable); close it when the call ends, which also clears a late interrupt.
     */
    public Scope enter(String key, String tool) {
        if (key == null) {
            return () -> { };
        }
        Running r = new Running(key, tool, Thread.currentThread());
        running.put(key, r);
        if (isCancelled(key)) { // the cancel overtook the request
            r.interrupt();
        }
        return r;
    }

    /**
     * Thrown by a tool's wait when its thread is interrupted: the call was cancelled, and nothing it
     * would answer reaches the client.
     */
    public static final class Cancelled extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Cancelled() {
            super("cancelled by the client", null, false, false);
        }
    }

    /** One running call; closing it ends its registration. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    private final class Running implements Scope {
        private final String key;
        private final String tool;
        private final Thread thread;
        private boolean closed;
        private long interruptedAt;

        Running(String key, String tool, Thread thread) {
            this.key = key;
            this.tool = tool;
            this.thread = thread;
        }

        synchronized void interrupt() {
            if (!closed && interruptedAt == 0) {
                interruptedAt = System.nanoTime();
                thread.interrupt();
            }
        }

        @Override
        public synchronized void close() {
            closed = true;
            running.remove(key, this);
            Thread.interrupted(); // an interrupt meant for this call must not reach the pool thread's next task
            if (interruptedAt != 0) {
                LOG.info("{} cancelled by the client ({}): stopped waiting after {} ms; no result is sent, the turn"
                        + " goes on", tool, key.substring(key.indexOf(' ') + 1),
                        (System.nanoTime() - interruptedAt) / 1_000_000);
            }
        }
    }
}
