package org.opencodemcp.server.opencode;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * HTTP client for one OpenCode server reached on the relay's loopback.
 *
 * <p>The host is always 127.0.0.1: a registration file only names a port, so it can never point
 * the server at another machine. One instance per OpenCode server; the underlying
 * {@link HttpClient} is shared by all of them.
 */
public final class OpenCodeClient {
    private static final String LOOPBACK = "127.0.0.1";
    /** The largest answer read from an instance; a session's messages are well under this. */
    static final long MAX_RESPONSE_BYTES = 16L << 20;
    /**
     * Blocking calls waiting on one instance at once. Tool calls run on the MCP SDK's small shared
     * pool: an instance that stalls must not hold more of it than this until the deadlines fire.
     */
    static final int MAX_BLOCKING_CALLS = 4;

    private final HttpClient http;
    private final ObjectMapper json;
    private final int port;
    private final Credentials credentials;
    private final Duration requestTimeout;
    private final Semaphore blockingCalls = new Semaphore(MAX_BLOCKING_CALLS);
    /** Start times of the blocking calls in flight (at most {@link #MAX_BLOCKING_CALLS}). */
    private final java.util.Map<Object, Long> inFlight = new java.util.concurrent.ConcurrentHashMap<>();
    /** When a blocking call last finished, whatever its outcome. */
    private volatile long lastDoneNanos = System.nanoTime();

    public OpenCodeClient(HttpClient http, ObjectMapper json, int port, Credentials credentials, Duration requestTimeout) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        this.http = http;
        this.json = json;
        this.port = port;
        this.credentials = credentials;
        this.requestTimeout = requestTimeout;
    }

    /** The credentials sent with every request (null: none); only ever to this client's port. */
    public Credentials credentials() {
        return credentials;
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://" + LOOPBACK + ":" + port;
    }

    /** {@code GET /global/health}: must answer JSON {@code {"healthy":true}} to count as an OpenCode server. */
    public CompletableFuture<Health> health(Duration timeout) {
        return getAsync("/global/health", timeout).thenApply(node -> {
            if (!node.isObject() || !node.has("healthy")) {
                throw new OpenCodeException(OpenCodeException.Kind.NOT_OPENCODE,
                        "not an OpenCode API: /global/health answered without a \"healthy\" field");
            }
            return new Health(node.get("healthy").asBoolean(false), text(node, "version"));
        });
    }

    /** {@code GET /path}: the server's directory and worktree, for the identity check. */
    public CompletableFuture<PathInfo> path(Duration timeout) {
        return getAsync("/path", timeout).thenApply(node -> {
            if (!node.isObject() || !node.has("directory")) {
                throw new OpenCodeException(OpenCodeException.Kind.NOT_OPENCODE,
                        "not an OpenCode API: /path answered without a \"directory\" field");
            }
            return new PathInfo(text(node, "directory"), text(node, "worktree"));
        });
    }

    /** GET returning parsed JSON; fails with {@link OpenCodeException}. */
    public CompletableFuture<JsonNode> getAsync(String pathAndQuery, Duration timeout) {
        return sendAsync(request(pathAndQuery, timeout).GET().build());
    }

    /** POST with a JSON body (null sends {@code {}}); an empty answer (204) yields a null node. */
    public CompletableFuture<JsonNode> postAsync(String pathAndQuery, Object body, Duration timeout) {
        String payload;
        try {
            payload = body == null ? "{}" : json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode request body", e);
        }
        HttpRequest req = request(pathAndQuery, timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(payload))
                .build();
        return sendAsync(req);
    }

    /** Blocking GET with the default request timeout. */
    public JsonNode get(String pathAndQuery) {
        return blocking(() -> getAsync(pathAndQuery, requestTimeout));
    }

    /** Blocking POST with the default request timeout. */
    public JsonNode post(String pathAndQuery, Object body) {
        return blocking(() -> postAsync(pathAndQuery, body, requestTimeout));
    }

    /**
     * Runs a blocking call under the per-instance cap. A caller over the cap waits for its turn while
     * the instance makes progress, and gives up at once when it stalls: its oldest call in flight has
     * waited over a second and nothing finished since it started. So a stalled instance holds at most
     * {@link #MAX_BLOCKING_CALLS} pool threads until their deadlines, and the others for about a second.
     */
    private JsonNode blocking(java.util.function.Supplier<CompletableFuture<JsonNode>> call) {
        long giveUp = System.nanoTime() + requestTimeout.toNanos();
        try {
            while (!blockingCalls.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                if (stalled() || System.nanoTime() > giveUp) {
                    throw new OpenCodeException(OpenCodeException.Kind.UNREACHABLE, 0, "127.0.0.1:" + port + " already has "
                            + MAX_BLOCKING_CALLS + " calls waiting for an answer and answered nothing for a while (it stalls);"
                            + " try again in " + requestTimeout.toSeconds() + " s", null);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OpenCodeException(OpenCodeException.Kind.UNREACHABLE, "interrupted while waiting for 127.0.0.1:" + port);
        }
        Object token = new Object();
        inFlight.put(token, System.nanoTime());
        try {
            return join(call.get());
        } finally {
            inFlight.remove(token);
            lastDoneNanos = System.nanoTime();
            blockingCalls.release();
        }
    }

    private boolean stalled() {
        long oldest = inFlight.values().stream().mapToLong(Long::longValue).min().orElse(Long.MAX_VALUE);
        long now = System.nanoTime();
        return oldest != Long.MAX_VALUE && now - oldest > TimeUnit.SECONDS.toNanos(1) && lastDoneNanos - oldest < 0;
    }

    /**
     * Opens an event stream on {@code route}: {@code /global/event} (every directory of this
     * server, enveloped) or {@code /event} (plain events). The stream has no deadline of its own:
     * the registry's watchdog aborts one that stays silent.
     */
    public EventStream subscribe(String route, EventListener listener) {
        EventStream stream = new EventStream(json, listener, route, "events@" + port);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + route))
                .header("Accept", "text/event-stream");
        if (credentials != null) {
            b.header("Authorization", credentials.authorizationHeader());
        }
        stream.attach(http.sendAsync(b.GET().build(), stream.bodyHandler()));
        return stream;
    }

    private HttpRequest.Builder request(String pathAndQuery, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + pathAndQuery))
                .timeout(timeout)
                .header("Accept", "application/json");
        if (credentials != null) {
            b.header("Authorization", credentials.authorizationHeader());
        }
        return b;
    }

    /** Sends with a hard deadline on headers and body together, and a cap on the body. */
    private CompletableFuture<JsonNode> sendAsync(HttpRequest req) {
        String what = req.method() + " " + req.uri().getRawPath();
        Duration deadline = req.timeout().orElse(requestTimeout);
        return Deadlines.bound(http.sendAsync(req, BoundedBody.handler(MAX_RESPONSE_BYTES)), deadline)
                .handle((resp, error) -> {
                    if (error != null) {
                        throw failed(what, error, deadline);
                    }
                    return decode(what, resp);
                });
    }

    private JsonNode decode(String what, HttpResponse<String> resp) {
        int status = resp.statusCode();
        String body = resp.body() == null ? "" : resp.body();
        if (status == 401) {
            throw new OpenCodeException(OpenCodeException.Kind.UNAUTHORIZED, status,
                    what + " refused our credentials: they come from the instance's <name>.auth beside its registration"
                            + " (written by opencode-connected), or, when there is none, from OPENCODE_SERVER_PASSWORD"
                            + " (and OPENCODE_SERVER_USERNAME if not 'opencode')", null);
        }
        String contentType = resp.headers().firstValue("content-type").orElse("");
        if (contentType.startsWith("text/html")) {
            throw new OpenCodeException(OpenCodeException.Kind.NOT_OPENCODE, status,
                    "not an OpenCode API: " + what + " answered an HTML page", null);
        }
        if (status == 204 || body.isBlank()) {
            if (status >= 200 && status < 300) {
                return null;
            }
        }
        JsonNode node = null;
        try {
            node = body.isBlank() ? null : json.readTree(body);
        } catch (JsonProcessingException e) {
            if (status >= 200 && status < 300) {
                throw new OpenCodeException(OpenCodeException.Kind.NOT_OPENCODE, status,
                        "not an OpenCode API: " + what + " answered non-JSON", e);
            }
        }
        if (status >= 200 && status < 300) {
            return node;
        }
        String detail = errorMessage(node, body);
        OpenCodeException.Kind kind = status == 404 ? OpenCodeException.Kind.NOT_FOUND : OpenCodeException.Kind.HTTP_ERROR;
        throw new OpenCodeException(kind, status, what + " failed with HTTP " + status + (detail.isEmpty() ? "" : ": " + detail), null);
    }

    /** OpenCode error bodies: {@code {"name":..,"data":{"message":..}}} or {@code {"_tag":..,"message":..}}. */
    private static String errorMessage(JsonNode node, String body) {
        if (node != null && node.isObject()) {
            JsonNode msg = node.path("data").path("message");
            if (msg.isTextual()) {
                return msg.asText();
            }
            if (node.path("message").isTextual()) {
                return node.get("message").asText();
            }
            if (node.has("name")) {
                return node.get("name").asText();
            }
        }
        return body.length() > 200 ? body.substring(0, 200) + "..." : body;
    }

    private static OpenCodeException failed(String what, Throwable error, Duration deadline) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof OpenCodeException oce) {
            return oce;
        }
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof BoundedBody.TooLarge tooLarge) {
                return new OpenCodeException(OpenCodeException.Kind.HTTP_ERROR, 0, what + ": " + tooLarge.getMessage(), cause);
            }
        }
        String reason;
        if (cause instanceof CancellationException) {
            reason = "gave no complete answer within " + deadline.toMillis() + " ms";
        } else if (cause instanceof HttpTimeoutException) {
            reason = "timed out";
        } else if (cause instanceof ConnectException) {
            reason = "connection refused";
        } else {
            reason = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        }
        return new OpenCodeException(OpenCodeException.Kind.UNREACHABLE, 0, what + " " + reason, cause);
    }

    private static JsonNode join(CompletableFuture<JsonNode> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof OpenCodeException oce) {
                throw oce;
            }
            throw e;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
