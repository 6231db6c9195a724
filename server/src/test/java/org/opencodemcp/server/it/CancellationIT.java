package org.opencodemcp.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.opencodemcp.server.support.McpStdioServer;
import org.opencodemcp.server.support.Registrations;
import org.opencodemcp.testkit.Closer;
import org.opencodemcp.testkit.Eventually;
import org.opencodemcp.testkit.FakeLlm;
import org.opencodemcp.testkit.FakeReply;
import org.opencodemcp.testkit.OpenCodeServer;
import org.opencodemcp.testkit.ServerEnvironment;
import org.opencodemcp.testkit.TempDirs;

/**
 * {@code notifications/cancelled} for a {@code send_message} waiting on a slow reply, over stdio and over
 * Streamable HTTP (raw JSON-RPC: the SDK clients cannot cancel a call): the wait ends at once (the server
 * says how long it took), no result is sent for the call, the agent's turn runs on to its end, and the
 * server keeps answering.
 */
@Timeout(180)
class CancellationIT {
    static final String INSTANCE = "testhost-cancel";
    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern STOPPED = Pattern.compile("send_message cancelled by the client \\((.+)\\): stopped waiting after (\\d+) ms");
    private static Path registry;
    private static FakeLlm llm;
    private static OpenCodeServer opencode;

    @BeforeAll
    static void start() {
        registry = TempDirs.create("registry-cancel-");
        llm = FakeLlm.start();
        llm.on("SLOW-CANCEL", FakeReply.slowText(Duration.ofMillis(500), "c0 ", "c1 ", "c2 ", "c3 ", "c4 ", "c5 ", "c6 ",
                "c7 ", "c8 ", "c9-done"));
        opencode = OpenCodeServer.builder().llm(llm).start();
        Registrations.write(registry, INSTANCE, opencode.port(), opencode.directory().toString());
    }

    @AfterAll
    static void stop() {
        Closer.closeAll(opencode, llm, () -> TempDirs.deleteRecursively(registry));
    }

    /** A raw JSON-RPC client: requests by id, notifications, and the server's stderr. */
    interface Raw extends AutoCloseable {
        CompletableFuture<JsonNode> request(long id, String method, Object params);

        void notify(String method, Object params);

        List<String> stderr();

        /** Responses that arrived for this id, ever. */
        List<JsonNode> responses(long id);
    }

    @Test
    void overStdio() throws Exception {
        try (Stdio raw = new Stdio()) {
            cancelAndCheck(raw);
        }
    }

    @Test
    void overHttp() throws Exception {
        try (Http raw = new Http()) {
            cancelAndCheck(raw);
        }
    }

    /** refresh_instances waits for a probe that never finishes (a health answer that stalls); the cancel ends it. */
    @Test
    void refreshInstancesOverStdio() throws Exception {
        Path stalledRegistry = TempDirs.create("registry-cancel-refresh-");
        org.opencodemcp.testkit.FakeOpenCode stalled = org.opencodemcp.testkit.FakeOpenCode.start("/cancel/stalled",
                org.opencodemcp.testkit.FakeOpenCode.Fault.STALLED_HEALTH);
        try (Stdio raw = new Stdio(stalledRegistry)) {
            Registrations.write(stalledRegistry, "stalled", stalled.port(), stalled.cwd());
            raw.request(1, "initialize", Map.of("protocolVersion", "2025-06-18", "capabilities", Map.of(),
                    "clientInfo", Map.of("name", "cancel-it", "version", "1"))).get(30, TimeUnit.SECONDS);
            raw.notify("notifications/initialized", Map.of());
            CompletableFuture<JsonNode> refresh = raw.request(2, "tools/call", Map.of("name", "refresh_instances", "arguments", Map.of()));
            Thread.sleep(500); // the probe of the stalled instance is under way: it would hold refresh for seconds
            raw.notify("notifications/cancelled", Map.of("requestId", 2));
            Pattern stopped = Pattern.compile("refresh_instances cancelled by the client \\(n:2\\): stopped waiting after (\\d+) ms");
            Eventually.await(Duration.ofSeconds(2), () -> assertThat(raw.stderr()).anySatisfy(l -> assertThat(stopped.matcher(l).find()).isTrue()));
            Matcher m = raw.stderr().stream().map(stopped::matcher).filter(Matcher::find).findFirst().orElseThrow();
            System.err.printf("[measure] cancelled refresh_instances: wait stopped %s ms after the cancel reached it%n", m.group(1));
            assertThat(Long.parseLong(m.group(1))).isLessThan(500);
            assertThat(result(raw, 3, "list_instances", Map.of()).toString()).contains("stalled");
            Thread.sleep(300);
            assertThat(raw.responses(2)).isEmpty();
            assertThat(refresh).isNotDone();
        } finally {
            stalled.close();
            TempDirs.deleteRecursively(stalledRegistry);
        }
    }

    private static void cancelAndCheck(Raw raw) throws Exception {
        raw.request(1, "initialize", Map.of("protocolVersion", "2025-06-18", "capabilities", Map.of(),
                "clientInfo", Map.of("name", "cancel-it", "version", "1"))).get(30, TimeUnit.SECONDS);
        raw.notify("notifications/initialized", Map.of());
        Eventually.await(Duration.ofSeconds(15), () -> assertThat(result(raw, 2, "list_instances", Map.of()).toString())
                .contains("\"online\":1"));
        String session = result(raw, 3, "create_session", Map.of("instance", INSTANCE, "title", "cancel me"))
                .path("structuredContent").path("session").path("id").asText();
        assertThat(session).startsWith("ses");

        CompletableFuture<JsonNode> send = raw.request(4, "tools/call", Map.of("name", "send_message", "arguments",
                Map.of("instance", INSTANCE, "session", session, "message", "SLOW-CANCEL please", "wait_seconds", 60),
                "_meta", Map.of("progressToken", "p4")));
        // the prompt is posted and the turn runs (a cancel before the post would, rightly, send nothing at all)
        Eventually.await(Duration.ofSeconds(15), () -> assertThat(sessionStatus(raw, session)).isEqualTo("busy"));
        long cancelledAt = System.nanoTime();
        raw.notify("notifications/cancelled", Map.of("requestId", 4, "reason", "the user moved on"));

        // the wait ends at once: the server logs how long it took to stop
        Eventually.await(Duration.ofSeconds(2), () -> assertThat(raw.stderr()).anySatisfy(l -> assertThat(l).matches(".*" + STOPPED.pattern() + ".*")));
        long seenMs = (System.nanoTime() - cancelledAt) / 1_000_000;
        Matcher m = raw.stderr().stream().map(STOPPED::matcher).filter(Matcher::find).findFirst().orElseThrow();
        System.err.printf("[measure] cancelled send_message: wait stopped %s ms after the cancel reached it; seen by the test after %d ms%n",
                m.group(2), seenMs);
        assertThat(Long.parseLong(m.group(2))).isLessThan(500);

        // the server keeps serving, and the turn goes on to its end
        assertThat(sessionStatus(raw, session)).isEqualTo("busy");
        Eventually.await(Duration.ofSeconds(20), () -> assertThat(result(raw, 7, "get_session",
                Map.of("instance", INSTANCE, "session", session)).toString()).contains("c9-done"));

        // and no result was ever sent for the cancelled call
        Thread.sleep(300);
        assertThat(raw.responses(4)).isEmpty();
        assertThat(send.isDone() && !send.isCompletedExceptionally()).as("a result for the cancelled call").isFalse();
    }

    /** The session's status as get_session's structured content gives it: idle, busy or retry. */
    private static String sessionStatus(Raw raw, String session) throws Exception {
        return result(raw, 0, "get_session", Map.of("instance", INSTANCE, "session", session, "message_limit", 1))
                .path("structuredContent").path("session").path("status").asText();
    }

    private static final java.util.concurrent.atomic.AtomicLong IDS = new java.util.concurrent.atomic.AtomicLong(100);

    /** A tool call with a fresh request id (the {@code id} argument only names the step). */
    private static JsonNode result(Raw raw, long step, String tool, Map<String, Object> args) throws Exception {
        JsonNode r = raw.request(IDS.incrementAndGet(), "tools/call", Map.of("name", tool, "arguments", args)).get(30, TimeUnit.SECONDS);
        assertThat(r.has("result")).as(r.toString()).isTrue();
        return r.path("result");
    }

    private static String message(long id, String method, Object params) {
        ObjectNode n = JSON.createObjectNode().put("jsonrpc", "2.0");
        if (id >= 0) {
            n.put("id", id);
        }
        n.put("method", method);
        n.set("params", JSON.valueToTree(params));
        return n.toString();
    }

    /** The packaged jar over stdio, line by line. Request ids may repeat across polls: each id keeps its last answer. */
    static final class Stdio implements Raw {
        private final Process process;
        private final OutputStream in;
        private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
        private final Map<Long, List<JsonNode>> answered = new ConcurrentHashMap<>();
        private final List<String> stderr = new CopyOnWriteArrayList<>();

        Stdio() throws IOException {
            this(registry);
        }

        Stdio(Path registryDir) throws IOException {
            ProcessBuilder pb = new ProcessBuilder(McpStdioServer.javaBinary(), "-jar", McpStdioServer.jar().toString());
            ServerEnvironment.apply(pb, registryDir); // its own jobs.db, never the account's
            process = pb.start();
            in = process.getOutputStream();
            daemon(() -> lines(new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)), line -> {
                try {
                    JsonNode n = JSON.readTree(line);
                    if (n.has("id") && !n.has("method")) {
                        long id = n.get("id").asLong();
                        answered.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(n);
                        CompletableFuture<JsonNode> f = pending.remove(id);
                        if (f != null) {
                            f.complete(n);
                        }
                    }
                } catch (IOException e) {
                    throw new IllegalStateException("stdout line is not JSON: " + line, e);
                }
            }));
            daemon(() -> lines(new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)), l -> {
                stderr.add(l);
                System.err.println("[opencode-mcp stdio] " + l);
            }));
        }

        @Override
        public synchronized CompletableFuture<JsonNode> request(long id, String method, Object params) {
            CompletableFuture<JsonNode> f = new CompletableFuture<>();
            pending.put(id, f);
            answered.remove(id);
            write(message(id, method, params));
            return f;
        }

        @Override
        public synchronized void notify(String method, Object params) {
            write(message(-1, method, params));
        }

        private void write(String line) {
            try {
                in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                in.flush();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public List<String> stderr() {
            return List.copyOf(stderr);
        }

        @Override
        public List<JsonNode> responses(long id) {
            return answered.getOrDefault(id, List.of());
        }

        @Override
        public void close() throws Exception {
            in.close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** The packaged jar over Streamable HTTP: each request is a POST whose answer may be an SSE stream. */
    static final class Http implements Raw {
        private final McpHttpServer server;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final Map<Long, List<JsonNode>> answered = new ConcurrentHashMap<>();
        private volatile String sessionId;

        Http() {
            server = McpHttpServer.start(registry, Map.of());
        }

        private HttpRequest.Builder post(String body) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + server.path()))
                    .timeout(Duration.ofSeconds(90))
                    .header("Authorization", "Bearer " + McpHttpServer.TOKEN)
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json, text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            if (sessionId != null) {
                b.header("Mcp-Session-Id", sessionId);
            }
            return b;
        }

        @Override
        public CompletableFuture<JsonNode> request(long id, String method, Object params) {
            answered.remove(id);
            return http.sendAsync(post(message(id, method, params)).build(), HttpResponse.BodyHandlers.ofString())
                    .thenApply(r -> {
                        r.headers().firstValue("Mcp-Session-Id").ifPresent(s -> sessionId = s);
                        JsonNode found = null;
                        for (JsonNode n : messages(r.body())) {
                            if (n.has("id") && !n.has("method") && n.get("id").asLong() == id) {
                                answered.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(n);
                                found = n;
                            }
                        }
                        if (found == null) {
                            throw new IllegalStateException("no response for " + id + " (HTTP " + r.statusCode() + ")");
                        }
                        return found;
                    });
        }

        /** The JSON-RPC messages of a plain JSON body or of an SSE stream's data lines. */
        private static List<JsonNode> messages(String body) {
            List<JsonNode> out = new java.util.ArrayList<>();
            try {
                if (body.stripLeading().startsWith("{")) {
                    out.add(JSON.readTree(body));
                    return out;
                }
                for (String line : body.split("\n")) {
                    if (line.startsWith("data:")) {
                        out.add(JSON.readTree(line.substring(5).strip()));
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("unreadable answer: " + body, e);
            }
            return out;
        }

        @Override
        public void notify(String method, Object params) {
            try {
                HttpResponse<String> r = http.send(post(message(-1, method, params)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(method + ": " + r.body()).isEqualTo(202);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        @Override
        public List<String> stderr() {
            return server.stderr();
        }

        @Override
        public List<JsonNode> responses(long id) {
            return answered.getOrDefault(id, List.of());
        }

        @Override
        public void close() {
            server.close();
        }
    }

    private static void daemon(Runnable r) {
        Thread t = new Thread(r, "cancel-it-reader");
        t.setDaemon(true);
        t.start();
    }

    private static void lines(BufferedReader reader, java.util.function.Consumer<String> each) {
        try (reader) {
            String line;
            while ((line = reader.readLine()) != null) {
                each.accept(line);
            }
        } catch (IOException e) {
            // the process ended
        }
    }
}
