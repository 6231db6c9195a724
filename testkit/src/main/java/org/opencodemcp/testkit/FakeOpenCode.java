package org.opencodemcp.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A lightweight stand-in for an opencode server, for scale tests and benchmarks only (up to
 * thousands per JVM); everything else uses the real binary through {@link OpenCodeServer}. It answers
 * the read-only calls a client makes to discover and watch an instance, with opencode's shapes
 * (JSON bodies and SSE events as opencode sends them), and serves both event routes: {@code /event} (plain events) and
 * {@code /global/event} (events in the {@code {directory, payload}} envelope).
 *
 * <p>Cost per instance: one listening socket and one heartbeat timer entry. Every instance is served
 * by one shared non-blocking HTTP loop thread ({@code fake-opencode-io}); open event streams hold no
 * thread; one shared scheduler thread writes all heartbeats. 1,000 instances start in well under a
 * second. {@link #close()} closes the port and drops every connection, as a dying process would.
 */
public final class FakeOpenCode implements AutoCloseable {
    public static final String VERSION = "fake-1.0";

    /**
     * Ways to misbehave on purpose, as proxies, old releases, broken tunnels or hostile instances do.
     * Each is bounded in what it sends, so a test that forgets one costs memory only while it runs.
     */
    public enum Fault {
        /** {@code GET /global/event} answers 404 ({@code /event} still works). */
        NO_GLOBAL_EVENT,
        /** Both event routes answer 404. */
        NO_EVENTS,
        /** Event streams send their first event and then end at once. */
        STREAM_ENDS_AT_ONCE,
        /** Event stream requests get no answer at all: not even headers. */
        STREAM_SILENT,
        /** Event streams send {@code data:} lines of 64 KiB every 10 ms, never a blank line. */
        STREAM_ENDLESS_DATA,
        /** Event streams send 2 MiB lines (then a blank line), over and over. */
        STREAM_LONG_LINES,
        /** {@code GET /session} sends headers and one byte of its body, then nothing. */
        STALLED_SESSION_LIST,
        /** {@code GET /global/health} sends headers and one byte of its body, then nothing. */
        STALLED_HEALTH,
        /** {@code GET /global/health} answers an HTML page. */
        HTML_HEALTH,
        /** {@code GET /path} answers after 5 s. */
        SLOW_PATH,
        /** Every request is answered by dropping the connection. */
        RESET
    }

    /** opencode's heartbeat period: it sends server.heartbeat every 10 s. */
    public static final Duration HEARTBEAT = Duration.ofSeconds(10);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONNECTED = "{\"type\":\"server.connected\",\"properties\":{}}";
    private static final String HEARTBEAT_EVENT = "{\"type\":\"server.heartbeat\",\"properties\":{}}";
    private static final ScheduledExecutorService HEARTBEATS =
            Executors.newSingleThreadScheduledExecutor(daemon("fake-opencode-heartbeat"));
    private static final AtomicLong SESSION_IDS = new AtomicLong();

    private final String cwd;
    private final FakeHttpLoop loop;
    private final ServerSocketChannel server;
    private final int port;
    /** Open streams, with whether each is a {@code /global/event} stream (enveloped events). */
    private final Map<SseStream, Boolean> streams = new ConcurrentHashMap<>();
    /** Newest first, like opencode's GET /session. */
    private final List<ObjectNode> sessions = new ArrayList<>();
    private final ScheduledFuture<?> heartbeat;
    private final java.util.Set<Fault> faults;
    private final AtomicLong requests = new AtomicLong();
    private final Map<String, AtomicLong> requestsByPath = new ConcurrentHashMap<>();
    private volatile boolean closed;
    /** Every request received, oldest first (capped): what a test asserts was, or was never, sent here. */
    private final List<Request> recorded = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile String requiredAuthorization;
    /** Health checks still to stall after their first byte (a slow moment of a live instance). */
    private final java.util.concurrent.atomic.AtomicInteger stallHealthChecks = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * One request as received: method, target, headers (names in lower case) and body (UTF-8, its
     * first {@link #MAX_RECORDED_BODY} bytes; empty when there was none).
     */
    public record Request(String method, String target, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    private static final int MAX_RECORDED = 10_000;
    /** Bytes of each recorded body kept: a prompt and its parts fit, a flood costs at most 10,000 x this. */
    static final int MAX_RECORDED_BODY = 16 * 1024;

    private FakeOpenCode(String cwd, Duration heartbeatInterval, java.util.Set<Fault> faults) throws IOException {
        this.cwd = cwd;
        this.faults = faults;
        this.loop = FakeHttpLoop.get();
        this.server = loop.listen(this::handle);
        this.port = ((InetSocketAddress) server.getLocalAddress()).getPort();
        long period = heartbeatInterval.toMillis();
        this.heartbeat = HEARTBEATS.scheduleAtFixedRate(() -> emit(HEARTBEAT_EVENT), period, period,
                TimeUnit.MILLISECONDS);
    }

    /** Starts one on a free loopback port, with {@code cwd} as its directory and worktree. */
    public static FakeOpenCode start(String cwd) {
        return start(cwd, HEARTBEAT);
    }

    /** Like {@link #start(String)} with a shorter heartbeat, for tests of heartbeat handling. */
    public static FakeOpenCode start(String cwd, Duration heartbeatInterval) {
        return start(cwd, heartbeatInterval, new Fault[0]);
    }

    /** Like {@link #start(String)}, misbehaving in the ways given. */
    public static FakeOpenCode start(String cwd, Fault... faults) {
        return start(cwd, HEARTBEAT, faults);
    }

    public static FakeOpenCode start(String cwd, Duration heartbeatInterval, Fault... faults) {
        java.util.Set<Fault> set = faults.length == 0 ? java.util.EnumSet.noneOf(Fault.class)
                : java.util.EnumSet.copyOf(java.util.Arrays.asList(faults));
        try {
            return new FakeOpenCode(cwd, heartbeatInterval, set);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a fake opencode", e);
        }
    }

    /**
     * The next {@code count} health checks stall after their first byte, then this instance answers
     * again: a live instance's slow moment (a busy relay, a pause), not a dead one.
     */
    public void stallNextHealthChecks(int count) {
        stallHealthChecks.set(count);
    }

    public int port() {
        return port;
    }

    /** The directory (and worktree) it reports on {@code GET /path}. */
    public String cwd() {
        return cwd;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The requests received so far, oldest first (the first 10,000). */
    public List<Request> requests() {
        return List.copyOf(recorded);
    }

    /**
     * Answers 401 with an empty body (as opencode does) to every
     * request without this exact {@code Authorization} value, like an opencode started with
     * OPENCODE_SERVER_PASSWORD; null turns the check off.
     */
    public FakeOpenCode requireAuthorization(String authorizationHeader) {
        this.requiredAuthorization = authorizationHeader;
        return this;
    }

    /** Sends one event (a JSON object like {@code {"type":"session.idle","properties":{...}}}) to every open stream. */
    public void emit(String eventJson) {
        String enveloped = null;
        for (Map.Entry<SseStream, Boolean> e : streams.entrySet()) {
            String data = eventJson;
            if (e.getValue()) {
                if (enveloped == null) {
                    enveloped = envelope(eventJson);
                }
                data = enveloped;
            }
            boolean sent;
            synchronized (e.getKey()) {
                sent = e.getKey().send(data);
            }
            if (!sent) {
                streams.remove(e.getKey());
            }
        }
    }

    /** Requests received so far (every route), e.g. to prove a client does not hammer this instance. */
    public long requestCount() {
        return requests.get();
    }

    /** Requests received so far on one path (without the query), e.g. {@code /global/health}. */
    public long requestCount(String path) {
        AtomicLong n = requestsByPath.get(path);
        return n == null ? 0 : n.get();
    }

    /** The number of event streams currently open, e.g. to see that a client subscribed. */
    public int openEventStreams() {
        return streams.size();
    }

    /** Stops listening and drops every connection (streams and idle keep-alive ones) at once, as if opencode went away. Returns once the port is closed. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        heartbeat.cancel(false);
        streams.clear();
        loop.close(server);
    }

    @Override
    public String toString() {
        return "FakeOpenCode[" + baseUrl() + ", " + cwd + "]";
    }

    // ---- HTTP ------------------------------------------------------------------------------------

    private FakeHttpLoop.Response handle(FakeHttpLoop.Conn conn, String method, String target, byte[] body) {
        if (recorded.size() < MAX_RECORDED) {
            int kept = body == null ? 0 : Math.min(body.length, MAX_RECORDED_BODY);
            recorded.add(new Request(method, target, conn.requestHeaders(),
                    kept == 0 ? "" : new String(body, 0, kept, java.nio.charset.StandardCharsets.UTF_8)));
        }
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        requests.incrementAndGet();
        if (requestsByPath.size() < 1000 || requestsByPath.containsKey(path)) {
            requestsByPath.computeIfAbsent(path, p -> new AtomicLong()).incrementAndGet();
        }
        String required = requiredAuthorization;
        if (required != null && !required.equals(conn.requestHeaders().get("authorization"))) {
            return new FakeHttpLoop.Response(401, "text/plain", new byte[0]);
        }
        if (faults.contains(Fault.RESET)) {
            conn.close();
            return null;
        }
        if (method.equals("GET") && (path.equals("/event") || path.equals("/global/event"))) {
            boolean global = path.equals("/global/event");
            if (faults.contains(Fault.NO_EVENTS) || (global && faults.contains(Fault.NO_GLOBAL_EVENT))) {
                return notFound(method, path);
            }
            if (faults.contains(Fault.STREAM_SILENT)) {
                return null; // hold the connection, answer nothing
            }
            SseStream stream = SseStream.open(conn);
            String connected = global ? envelope(CONNECTED) : CONNECTED;
            if (faults.contains(Fault.STREAM_ENDS_AT_ONCE)) {
                stream.send(connected);
                stream.close();
                return null;
            }
            if (faults.contains(Fault.STREAM_ENDLESS_DATA) || faults.contains(Fault.STREAM_LONG_LINES)) {
                stream.send(connected);
                flood(conn, faults.contains(Fault.STREAM_LONG_LINES));
                return null;
            }
            // listed before the connected event goes out, so an event emitted as soon as a client has read
            // it reaches the stream; the lock keeps a concurrent emit from overtaking the connected event
            synchronized (stream) {
                streams.put(stream, global);
                stream.send(connected);
            }
            if (closed) { // close() ran while this stream was opening: it must not outlive the instance
                streams.remove(stream);
                stream.close();
            }
            return null;
        }
        if (method.equals("GET") && path.equals("/global/health")) {
            if (faults.contains(Fault.HTML_HEALTH)) {
                return new FakeHttpLoop.Response(200, "text/html; charset=utf-8",
                        "<!doctype html><html><body>It works!</body></html>".getBytes(StandardCharsets.UTF_8));
            }
            if (faults.contains(Fault.STALLED_HEALTH) || stallHealthChecks.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                stallAfterOneByte(conn);
                return null;
            }
        }
        if (method.equals("GET") && path.equals("/session") && faults.contains(Fault.STALLED_SESSION_LIST)) {
            stallAfterOneByte(conn);
            return null;
        }
        if (method.equals("GET") && path.equals("/path") && faults.contains(Fault.SLOW_PATH)) {
            FakeHttpLoop.Response late = route(method, path, body);
            HEARTBEATS.schedule(() -> conn.sendRaw(raw(late)), 5, TimeUnit.SECONDS);
            return null;
        }
        return route(method, path, body);
    }

    /** Headers promising a 100-byte JSON body, then its first byte, then silence (until close). */
    private static void stallAfterOneByte(FakeHttpLoop.Conn conn) {
        conn.sendRaw("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n["
                .getBytes(StandardCharsets.ISO_8859_1));
    }

    private static byte[] raw(FakeHttpLoop.Response r) {
        byte[] head = ("HTTP/1.1 " + r.status() + " OK\r\nContent-Type: " + r.contentType() + "\r\nContent-Length: "
                + r.body().length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = java.util.Arrays.copyOf(head, head.length + r.body().length);
        System.arraycopy(r.body(), 0, all, head.length, r.body().length);
        return all;
    }

    /**
     * Floods an open stream every 10 ms until the client goes or this fake closes: 64 KiB
     * {@code data:} lines without a blank line, or 2 MiB lines each ending an event.
     */
    private void flood(FakeHttpLoop.Conn conn, boolean longLines) {
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) 'x');
        byte[] dataLine = ("data: " + new String(chunk, StandardCharsets.US_ASCII) + "\n").getBytes(StandardCharsets.US_ASCII);
        AtomicLong sent = new AtomicLong();
        ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
        self[0] = HEARTBEATS.scheduleAtFixedRate(() -> {
            if (!closed && conn.isOpen() && conn.backlogged()) {
                return; // the client reads slower than we flood: never queue more than one chunk
            }
            byte[] out;
            if (!longLines) {
                out = dataLine;
            } else {
                long n = sent.getAndIncrement() % 33; // 32 chunks of 64 KiB = one 2 MiB line
                out = n == 0 ? "data: ".getBytes(StandardCharsets.US_ASCII) : n == 32 ? "\n\n".getBytes(StandardCharsets.US_ASCII) : chunk;
            }
            if (closed || !conn.sendChunk(out)) {
                self[0].cancel(false);
            }
        }, 10, 10, TimeUnit.MILLISECONDS);
    }

    private FakeHttpLoop.Response route(String method, String path, byte[] body) {
        if (method.equals("GET")) {
            switch (path) {
                case "/global/health" -> { return ok(JSON.createObjectNode().put("healthy", true).put("version", VERSION)); }
                case "/path" -> { return ok(paths()); }
                case "/session" -> { return ok(sessionList()); }
                case "/session/status" -> { return ok(JSON.createObjectNode()); }
                case "/permission", "/question" -> { return ok(JSON.createArrayNode()); }
                case "/agent" -> { return ok(JSON.createArrayNode().add(
                        JSON.createObjectNode().put("name", "build").put("mode", "primary"))); }
                default -> {
                    if (path.startsWith("/session/") && path.endsWith("/message")) {
                        // a fake session has no messages yet; an unknown one is a 404 like opencode's
                        return session(path.substring(9, path.length() - 8)) != null ? ok(JSON.createArrayNode())
                                : notFound(method, path);
                    }
                    ObjectNode session = path.startsWith("/session/") ? session(path.substring(9)) : null;
                    return session != null ? ok(session) : notFound(method, path);
                }
            }
        } else if (method.equals("POST") && path.equals("/session")) {
            JsonNode request;
            try {
                request = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
            } catch (IOException e) {
                ObjectNode error = JSON.createObjectNode().put("name", "BadRequest");
                error.putObject("data").put("message", e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.toString());
                return json(400, error);
            }
            return ok(createSession(request));
        }
        return notFound(method, path);
    }

    /** The /global/event envelope; connection and heartbeat events carry no directory. */
    private String envelope(String eventJson) {
        boolean server = eventJson.contains("\"server.");
        try {
            return server ? "{\"payload\":" + eventJson + "}"
                    : "{\"directory\":" + JSON.writeValueAsString(cwd) + ",\"payload\":" + eventJson + "}";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private ObjectNode paths() {
        String home = System.getProperty("user.home");
        return JSON.createObjectNode().put("home", home).put("state", home + "/.local/state/opencode")
                .put("config", home + "/.config/opencode").put("worktree", cwd).put("directory", cwd);
    }

    private ArrayNode sessionList() {
        synchronized (sessions) {
            ArrayNode list = JSON.createArrayNode();
            sessions.forEach(list::add);
            return list;
        }
    }

    private ObjectNode session(String id) {
        synchronized (sessions) {
            return sessions.stream().filter(s -> s.path("id").asText().equals(id)).findFirst().orElse(null);
        }
    }

    /** POST /session: holds a session shaped like opencode's, so GET /session has something to list. */
    private ObjectNode createSession(JsonNode request) {
        long now = System.currentTimeMillis();
        long n = SESSION_IDS.incrementAndGet();
        ObjectNode session = JSON.createObjectNode().put("id", String.format("ses_fake%016d", n))
                .put("slug", "fake-" + n).put("projectID", "fake-project").put("directory", cwd)
                .put("title", request.path("title").asText("New session - " + java.time.Instant.ofEpochMilli(now)))
                .put("version", VERSION);
        session.putObject("time").put("created", now).put("updated", now);
        synchronized (sessions) {
            sessions.add(0, session);
        }
        return session;
    }

    private static FakeHttpLoop.Response notFound(String method, String path) {
        ObjectNode body = JSON.createObjectNode().put("name", "NotFoundError");
        body.putObject("data").put("message", "fake opencode has no " + method + " " + path);
        return json(404, body);
    }

    private static FakeHttpLoop.Response ok(JsonNode json) {
        return json(200, json);
    }

    private static FakeHttpLoop.Response json(int status, JsonNode json) {
        return new FakeHttpLoop.Response(status, "application/json", json.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
