package org.opencodemcp.server.opencode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open SSE subscription ({@code /global/event} or {@code /event}), read as bytes by the JDK
 * HTTP client and split into events by a capped {@link SseDecoder}.
 *
 * <p>No thread is held per stream: buffers are pushed to this subscriber by the client's shared
 * executor. OpenCode sends only {@code data:} lines and a heartbeat every 10 s;
 * {@link #lastActivityNanos()} lets a watchdog notice a stalled tunnel that never closes. A route
 * the server does not serve (404, or an answer that is not an event stream) ends the stream with
 * an {@link OpenCodeException} of kind {@code NOT_FOUND}, so the caller can try another route.
 */
public final class EventStream implements Flow.Subscriber<List<ByteBuffer>>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);
    /** The largest event accepted; OpenCode's biggest (a full message part) is far smaller. */
    static final int MAX_EVENT_BYTES = 1 << 20;
    /** OpenCode's event types look like {@code message.part.delta}. */
    private static final java.util.regex.Pattern EVENT_TYPE = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,100}");

    private final ObjectMapper json;
    private final EventListener listener;
    private final String route;
    private final String label;
    private final SseDecoder decoder;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final long openedNanos = System.nanoTime();
    private volatile boolean connected;
    private volatile OpenCodeException refused;
    private volatile Flow.Subscription subscription;
    private volatile long lastActivityNanos = openedNanos;
    private volatile CompletableFuture<?> response;

    EventStream(ObjectMapper json, EventListener listener, String route, String label) {
        this.json = json;
        this.listener = listener;
        this.route = route;
        this.label = label;
        this.decoder = new SseDecoder(MAX_EVENT_BYTES, this::dispatch);
    }

    /** Reads the body only when the answer is a 200 event stream; anything else is read (capped) and refused. */
    HttpResponse.BodyHandler<Void> bodyHandler() {
        return info -> {
            String type = info.headers().firstValue("content-type").orElse("");
            if (info.statusCode() == 200 && type.startsWith("text/event-stream")) {
                return HttpResponse.BodySubscribers.fromSubscriber(this, s -> null);
            }
            int status = info.statusCode();
            OpenCodeException.Kind kind = status == 401 ? OpenCodeException.Kind.UNAUTHORIZED
                    : status == 200 || status == 404 || status == 405 ? OpenCodeException.Kind.NOT_FOUND
                    : OpenCodeException.Kind.HTTP_ERROR;
            refused = new OpenCodeException(kind, status, "GET " + route + " answered "
                    + (status == 200 ? "200 with " + (type.isEmpty() ? "no content type" : type) + ", not an event stream"
                    : "HTTP " + status), null);
            return HttpResponse.BodySubscribers.mapping(BoundedBody.handler(4096).apply(info), s -> (Void) null);
        };
    }

    void attach(CompletableFuture<HttpResponse<Void>> responseFuture) {
        this.response = responseFuture;
        responseFuture.whenComplete((resp, error) -> {
            OpenCodeException refusal = refused;
            finish(refusal != null ? refusal : error);
        });
    }

    /** The route this stream reads: {@code /global/event} or {@code /event}. */
    public String route() {
        return route;
    }

    /** Whether the server's first event arrived: the route is served and the subscription is live. */
    public boolean connected() {
        return connected;
    }

    public long openedNanos() {
        return openedNanos;
    }

    public long lastActivityNanos() {
        return lastActivityNanos;
    }

    /** Events skipped because they were over {@link #MAX_EVENT_BYTES}. */
    public long oversizedEvents() {
        return decoder.oversized();
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
            s.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        lastActivityNanos = System.nanoTime();
        for (ByteBuffer b : buffers) {
            if (closed.get()) {
                return;
            }
            decoder.feed(b);
        }
        Flow.Subscription s = subscription;
        if (s != null && !closed.get()) {
            s.request(1);
        }
    }

    private void dispatch(String payload) {
        OpenCodeEvent event;
        try {
            event = parse(json.readTree(payload));
        } catch (Exception e) {
            LOG.debug("{}: skipping an unparsable event", label);
            return;
        }
        if (event == null) {
            return;
        }
        connected = true;
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
        JsonNode body = node.has("payload") && node.get("payload").isObject() ? node.get("payload") : node;
        JsonNode type = body.get("type");
        if (type == null || !type.isTextual() || "sync".equals(type.asText()) || !EVENT_TYPE.matcher(type.asText()).matches()) {
            return null; // no type, a sync event, or a type no OpenCode sends (it would reach our log lines)
        }
        JsonNode props = body.get("properties");
        if (props == null || !props.isObject()) {
            props = JsonNodeFactory.instance.objectNode();
        }
        return new OpenCodeEvent(type.asText(), props);
    }

    @Override
    public void onError(Throwable throwable) {
        finish(throwable);
    }

    @Override
    public void onComplete() {
        finish(refused);
    }

    private void finish(Throwable cause) {
        if (closed.compareAndSet(false, true)) {
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
        abort(null);
    }

    /** Closes the stream as failed (the stall watchdog); aborts the exchange even before its headers came. */
    public void abort(Throwable cause) {
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        finish(cause);
        CompletableFuture<?> r = response;
        if (r != null) {
            r.cancel(true);
        }
    }
}
