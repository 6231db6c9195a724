package org.opencodemcp.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A lightweight stand-in for an opencode server, for scale tests and benchmarks only (hundreds per
 * JVM); everything else uses the real binary through {@link OpenCodeServer}. It answers the read-only
 * calls a client makes to discover and watch an instance, with opencode's shapes (reference §4, §6).
 *
 * <p>Cost per instance: the JDK HttpServer's own two threads (its dispatcher and its idle-connection
 * timer), which cannot be shared; 200 instances start in about 1.5 s. Request handling runs on one small static pool shared by all instances, open event
 * streams hold no thread, and one shared scheduler thread writes all heartbeats.
 */
public final class FakeOpenCode implements AutoCloseable {
    public static final String VERSION = "fake-1.0";
    /** opencode's heartbeat period (reference §6). */
    public static final Duration HEARTBEAT = Duration.ofSeconds(10);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONNECTED = "{\"type\":\"server.connected\",\"properties\":{}}";
    private static final String HEARTBEAT_EVENT = "{\"type\":\"server.heartbeat\",\"properties\":{}}";
    private static final ExecutorService HANDLERS = Executors.newFixedThreadPool(4, daemon("fake-opencode-http"));
    private static final ScheduledExecutorService HEARTBEATS =
            Executors.newSingleThreadScheduledExecutor(daemon("fake-opencode-heartbeat"));
    private static final AtomicLong SESSION_IDS = new AtomicLong();

    private final String cwd;
    private final HttpServer server;
    private final Set<SseStream> streams = ConcurrentHashMap.newKeySet();
    /** Newest first, like opencode's GET /session. */
    private final List<ObjectNode> sessions = new ArrayList<>();
    private final ScheduledFuture<?> heartbeat;
    private volatile boolean closed;

    private FakeOpenCode(String cwd, HttpServer server, Duration heartbeatInterval) {
        this.cwd = cwd;
        this.server = server;
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
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            FakeOpenCode fake = new FakeOpenCode(cwd, server, heartbeatInterval);
            server.createContext("/", fake::handle);
            server.setExecutor(HANDLERS);
            server.start();
            return fake;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a fake opencode", e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** Sends one event (a JSON object like {@code {"type":"session.idle","properties":{...}}}) to every open stream. */
    public void emit(String eventJson) {
        for (SseStream stream : streams) {
            if (!stream.send(eventJson)) {
                streams.remove(stream);
            }
        }
    }

    /** The number of event streams currently open, e.g. to see that a client subscribed. */
    public int openEventStreams() {
        return streams.size();
    }

    /** Stops listening and ends every open event stream at once, as if opencode went away. */
    @Override
    public void close() {
        closed = true;
        heartbeat.cancel(false);
        for (SseStream stream : streams) {
            stream.close();
        }
        streams.clear();
        server.stop(0); // also closes connections still open
    }

    @Override
    public String toString() {
        return "FakeOpenCode[" + baseUrl() + ", " + cwd + "]";
    }

    // ---- HTTP ------------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        try {
            if (method.equals("GET") && path.equals("/event")) {
                openEventStream(exchange); // stays open: no try-with-resources here
                return;
            }
            try (exchange) {
                route(exchange, method, path);
            }
        } catch (IOException e) {
            exchange.close(); // the client went away; nothing to report
        }
    }

    private void route(HttpExchange exchange, String method, String path) throws IOException {
        if (method.equals("GET")) {
            switch (path) {
                case "/global/health" -> send(exchange, 200, JSON.createObjectNode().put("healthy", true).put("version", VERSION));
                case "/path" -> send(exchange, 200, paths());
                case "/session" -> send(exchange, 200, sessionList());
                case "/session/status" -> send(exchange, 200, JSON.createObjectNode());
                case "/agent" -> send(exchange, 200, JSON.createArrayNode().add(
                        JSON.createObjectNode().put("name", "build").put("mode", "primary")));
                default -> {
                    ObjectNode session = path.startsWith("/session/") ? session(path.substring(9)) : null;
                    if (session != null) {
                        send(exchange, 200, session);
                    } else {
                        notFound(exchange, method, path);
                    }
                }
            }
        } else if (method.equals("POST") && path.equals("/session")) {
            JsonNode request;
            try {
                byte[] body = exchange.getRequestBody().readAllBytes();
                request = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
            } catch (JsonProcessingException e) {
                ObjectNode error = JSON.createObjectNode().put("name", "BadRequest");
                error.putObject("data").put("message", e.getOriginalMessage());
                send(exchange, 400, error);
                return;
            }
            send(exchange, 200, createSession(request));
        } else {
            notFound(exchange, method, path);
        }
    }

    private void openEventStream(HttpExchange exchange) throws IOException {
        SseStream stream = SseStream.open(exchange);
        streams.add(stream);
        stream.send(CONNECTED);
        if (closed) { // close() ran while this stream was opening: it must not outlive the instance
            streams.remove(stream);
            stream.close();
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

    private static void notFound(HttpExchange exchange, String method, String path) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("name", "NotFoundError");
        body.putObject("data").put("message", "fake opencode has no " + method + " " + path);
        send(exchange, 404, body);
    }

    private static void send(HttpExchange exchange, int status, JsonNode json) throws IOException {
        byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
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
