package org.opencodemcp.server.opencode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open {@code /global/event} SSE subscription, read line by line by the JDK HTTP client.
 *
 * <p>No thread is held per stream: lines are pushed to this subscriber by the client's shared
 * executor. OpenCode sends only {@code data:} lines (no ids, no event names) and a heartbeat every
 * 10 s; {@link #lastActivityNanos()} lets a watchdog notice a stalled tunnel that never closes.
 */
public final class EventStream implements Flow.Subscriber<String>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);

    private final ObjectMapper json;
    private final EventListener listener;
    private final String label;
    private final CompletableFuture<Void> connected = new CompletableFuture<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final StringBuilder data = new StringBuilder();
    private volatile Flow.Subscription subscription;
    private volatile long lastActivityNanos = System.nanoTime();
    private volatile CompletableFuture<?> response;

    EventStream(ObjectMapper json, EventListener listener, String label) {
        this.json = json;
        this.listener = listener;
        this.label = label;
    }

    void attach(CompletableFuture<HttpResponse<Void>> responseFuture) {
        this.response = responseFuture;
        responseFuture.whenComplete((resp, error) -> {
            if (error != null) {
                finish(error);
            } else if (resp.statusCode() != 200) {
                finish(new OpenCodeException(resp.statusCode() == 401
                        ? OpenCodeException.Kind.UNAUTHORIZED : OpenCodeException.Kind.HTTP_ERROR,
                        resp.statusCode(), "event stream answered HTTP " + resp.statusCode(), null));
            }
        });
    }

    /** Completes when the first event ({@code server.connected}) has arrived: the subscription is live. */
    public CompletableFuture<Void> connected() {
        return connected;
    }

    public long lastActivityNanos() {
        return lastActivityNanos;
    }

    public boolean isOpen() {
        return !closed.get();
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        this.subscription = s;
        if (closed.get()) {
            s.cancel();
        } else {
            s.request(Long.MAX_VALUE);
        }
    }

    @Override
    public void onNext(String line) {
        lastActivityNanos = System.nanoTime();
        if (line.isEmpty()) {
            dispatch();
        } else if (line.startsWith("data:")) {
            if (data.length() > 0) {
                data.append('\n');
            }
            data.append(line.startsWith("data: ") ? line.substring(6) : line.substring(5));
        }
        // "event:", "id:", "retry:" and ":" comment lines carry nothing OpenCode uses.
    }

    private void dispatch() {
        if (data.length() == 0) {
            return;
        }
        String payload = data.toString();
        data.setLength(0);
        OpenCodeEvent event;
        try {
            event = parse(json.readTree(payload));
        } catch (Exception e) {
            LOG.debug("{}: skipping unparsable event: {}", label, e.getMessage());
            return;
        }
        if (event == null) {
            return;
        }
        connected.complete(null);
        if ("server.heartbeat".equals(event.type())) {
            return;
        }
        try {
            listener.onEvent(event);
        } catch (RuntimeException e) {
            LOG.warn("{}: event listener failed on {}: {}", label, event.type(), e.toString());
        }
    }

    /** Unwraps the global envelope {@code {directory, payload:{type, properties}}}; plain events pass as they are. */
    static OpenCodeEvent parse(JsonNode node) {
        if (node == null || !node.isObject()) {
            return null;
        }
        String directory = node.hasNonNull("directory") ? node.get("directory").asText() : null;
        JsonNode body = node.has("payload") && node.get("payload").isObject() ? node.get("payload") : node;
        JsonNode type = body.get("type");
        if (type == null || !type.isTextual() || "sync".equals(type.asText())) {
            return null;
        }
        JsonNode props = body.get("properties");
        if (props == null || !props.isObject()) {
            props = JsonNodeFactory.instance.objectNode();
        }
        return new OpenCodeEvent(type.asText(), props, directory);
    }

    @Override
    public void onError(Throwable throwable) {
        finish(throwable);
    }

    @Override
    public void onComplete() {
        finish(null);
    }

    private void finish(Throwable cause) {
        if (closed.compareAndSet(false, true)) {
            connected.completeExceptionally(cause != null ? cause
                    : new OpenCodeException(OpenCodeException.Kind.UNREACHABLE, "event stream closed"));
            try {
                listener.onClosed(cause);
            } catch (RuntimeException e) {
                LOG.warn("{}: close listener failed: {}", label, e.toString());
            }
        }
    }

    /** Closes the stream; the listener's {@code onClosed} is called once, with a null cause. */
    @Override
    public void close() {
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        CompletableFuture<?> r = response;
        if (r != null) {
            r.cancel(true);
        }
        finish(null);
    }

    /** Closes the stream as failed (used by the stall watchdog). */
    public void abort(Throwable cause) {
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        finish(cause);
    }
}
