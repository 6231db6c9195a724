package org.opencodemcp.server.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.opencodemcp.server.it.McpHttpServer;
import org.opencodemcp.server.support.McpStdioServer;
import org.opencodemcp.server.support.Registrations;
import org.opencodemcp.server.transport.RawHttp;
import org.opencodemcp.testkit.FakeOpenCode;
import org.opencodemcp.testkit.ServerEnvironment;
import org.opencodemcp.testkit.TempDirs;

/**
 * Abuse of the MCP surface of the packaged jar. Stdio: oversized lines and out-of-order JSON-RPC
 * (calls before initialize, responses nobody asked for, a second initialize, unknown notifications)
 * get errors or are ignored, the session goes on, and stdout carries nothing but JSON-RPC. HTTP:
 * garbage, wrong content types, oversized bodies, missing sessions and out-of-order calls get 4xx
 * with short bodies and no stack traces, and valid clients are served throughout.
 */
class McpAbuseIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
            + "\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"abuse\",\"version\":\"1\"}}}";

    // ---- stdio -----------------------------------------------------------------------------------

    @Test
    void stdioSurvivesOversizedAndOutOfOrderMessages() throws Exception {
        Path registry = TempDirs.create("registry-abuse-");
        try (FakeOpenCode fake = FakeOpenCode.start(registry.resolve("proj").toString())) {
            Registrations.write(registry, "abuse-one", fake.port(), fake.cwd());
            ProcessBuilder pb = new ProcessBuilder(McpStdioServer.javaBinary(), "-jar", McpStdioServer.jar().toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            ServerEnvironment.apply(pb, registry); // its own jobs.db, never the account's
            Process p = pb.start();
            StdoutLines out = new StdoutLines(p.getInputStream());
            OutputStream in = p.getOutputStream();
            try {
                // a call before initialize: an error (or an answer), never silence or a crash
                send(in, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"list_instances\",\"arguments\":{}}}");
                JsonNode early = out.replyTo(1);
                System.err.println("[abuse] tools/call before initialize -> " + abbreviate(early));
                assertThat(early.path("error").path("code").asInt()).isEqualTo(-32600);
                assertThat(early.path("error").path("message").asText()).contains("initialize");
                send(in, "{\"jsonrpc\":\"2.0\",\"id\":\"early-ping\",\"method\":\"ping\"}");
                JsonNode earlyPing = out.next();
                assertThat(earlyPing.path("id").asText()).isEqualTo("early-ping");
                assertThat(earlyPing.has("result")).as(earlyPing.toString()).isTrue();
                assertThat(p.isAlive()).isTrue();

                send(in, INITIALIZE.formatted(2));
                assertThat(out.replyTo(2).path("result").path("serverInfo").path("name").asText()).isEqualTo("opencode-mcp");
                send(in, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");

                // a response to a request the server never sent, an unknown notification: no answer, no harm
                send(in, "{\"jsonrpc\":\"2.0\",\"id\":999,\"result\":{}}");
                send(in, "{\"jsonrpc\":\"2.0\",\"id\":\"srv-x\",\"error\":{\"code\":-1,\"message\":\"nobody asked\"}}");
                send(in, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/no_such_thing\",\"params\":{\"x\":1}}");
                send(in, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}");
                JsonNode ping = out.replyTo(3);
                assertThat(ping.has("result")).as(ping.toString()).isTrue();

                // a second initialize on the same session: answered (result or error), session goes on
                send(in, INITIALIZE.formatted(4));
                JsonNode again = out.replyTo(4);
                System.err.println("[abuse] duplicate initialize -> " + abbreviate(again));
                assertThat(again.has("error") || again.has("result")).isTrue();

                // a 5 MiB line (limit 4 MiB): an error, then the session goes on
                String big = "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{\"name\":\"list_instances\","
                        + "\"arguments\":{\"pad\":\"" + "x".repeat(5 * 1024 * 1024) + "\"}}}";
                long t0 = System.nanoTime();
                send(in, big);
                JsonNode tooBig = out.next();
                System.err.println("[abuse] 5 MiB line -> " + abbreviate(tooBig) + " in "
                        + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms");
                assertThat(tooBig.path("error").path("code").asInt()).isEqualTo(-32600);
                assertThat(tooBig.toString().length()).isLessThan(1000);

                // a line with a NUL byte and invalid UTF-8 in it
                in.write(new byte[] {'{', 0, (byte) 0xC3, (byte) 0x28, '}', '\n'});
                in.flush();
                assertThat(out.next().path("error").path("code").asInt()).isIn(-32700, -32600);

                send(in, "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"tools/call\",\"params\":{\"name\":\"list_instances\",\"arguments\":{}}}");
                JsonNode listed = out.replyTo(6);
                assertThat(listed.path("result").path("isError").asBoolean(false)).isFalse();
                assertThat(listed.path("result").toString()).contains("abuse-one");

                in.close();
                assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("exits when stdin closes").isTrue();
                assertThat(p.exitValue()).isZero();
                out.awaitEnd();
                assertThat(out.nonProtocol).as("stdout carries only JSON-RPC lines").isEmpty();
                assertThat(out.count).isGreaterThanOrEqualTo(7);
            } finally {
                p.destroyForcibly();
            }
        } finally {
            TempDirs.deleteRecursively(registry);
        }
    }

    // ---- HTTP ------------------------------------------------------------------------------------

    @Test
    void httpAnswersAbuseWithShort4xxAndKeepsServing() throws Exception {
        Path registry = TempDirs.create("registry-abuse-http-");
        try (FakeOpenCode fake = FakeOpenCode.start(registry.resolve("proj").toString());
             McpHttpServer mcp = McpHttpServer.start(registry, Map.of())) {
            Registrations.write(registry, "abuse-http", fake.port(), fake.cwd());
            McpSyncClient valid = mcp.client();
            int port = mcp.port();
            String path = mcp.path();
            Map<String, String> auth = Map.of("Authorization", "Bearer " + McpHttpServer.TOKEN,
                    "Accept", "application/json, text/event-stream");
            Map<String, String> json = with(auth, "Content-Type", "application/json");

            RawHttp.Response init = RawHttp.send(port, "POST", path, json, INITIALIZE.formatted(1));
            assertThat(init.status()).isEqualTo(200);
            String session = init.header("Mcp-Session-Id");
            assertThat(session).isNotBlank();
            Map<String, String> inSession = with(json, "Mcp-Session-Id", session);

            Map<String, RawHttp.Response> abuse = new LinkedHashMap<>();
            abuse.put("garbage body", RawHttp.send(port, "POST", path, json, "\u0000\u0001garbage{{{"));
            abuse.put("garbage body in session", RawHttp.send(port, "POST", path, inSession, "]]not json"));
            abuse.put("empty body", RawHttp.send(port, "POST", path, inSession, ""));
            abuse.put("JSON that is not JSON-RPC", RawHttp.send(port, "POST", path, inSession, "{\"hello\":\"world\"}"));
            abuse.put("JSON scalar", RawHttp.send(port, "POST", path, inSession, "42"));
            abuse.put("text/plain", RawHttp.send(port, "POST", path, with(inSession, "Content-Type", "text/plain"),
                    "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}"));
            abuse.put("form content", RawHttp.send(port, "POST", path, with(inSession, "Content-Type",
                    "application/x-www-form-urlencoded"), "a=1&b=2"));
            abuse.put("no Accept", RawHttp.send(port, "POST", path, Map.of("Authorization", "Bearer " + McpHttpServer.TOKEN,
                    "Content-Type", "application/json", "Mcp-Session-Id", session), "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/list\"}"));
            abuse.put("no session id", RawHttp.send(port, "POST", path, json, "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/list\"}"));
            abuse.put("unknown session id", RawHttp.send(port, "POST", path, with(json, "Mcp-Session-Id", "no-such-session"),
                    "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/list\"}"));
            abuse.put("GET without session", RawHttp.send(port, "GET", path, with(auth, "Accept", "text/event-stream"), null));
            abuse.put("DELETE unknown session", RawHttp.send(port, "DELETE", path, with(auth, "Mcp-Session-Id", "no-such-session"), null));
            abuse.put("PUT", RawHttp.send(port, "PUT", path, inSession, "{}"));
            abuse.put("unknown path", RawHttp.send(port, "POST", path + "/../../etc/passwd", inSession, "{}"));
            byte[] garbage = new byte[8 * 1024 * 1024];
            java.util.Arrays.fill(garbage, (byte) '[');
            abuse.put("oversized garbage (8 MiB)", sendLarge(port, path, json, garbage));
            abuse.put("oversized valid call in a session (5 MiB, over the 4 MiB bound)", sendLarge(port, path, inSession,
                    ("{\"jsonrpc\":\"2.0\",\"id\":10,\"method\":\"tools/call\",\"params\":{\"name\":\"list_instances\","
                            + "\"arguments\":{\"pad\":\"" + "x".repeat(5 * 1024 * 1024) + "\"}}}").getBytes(StandardCharsets.UTF_8)));
            for (Map.Entry<String, RawHttp.Response> e : abuse.entrySet()) {
                RawHttp.Response r = e.getValue();
                System.err.println("[abuse] HTTP " + e.getKey() + " -> " + r.status() + " " + abbreviate(r.body()));
                assertThat(r.status()).as(e.getKey() + ": " + r.body()).isBetween(400, 499);
                assertThat(r.body()).as(e.getKey()).hasSizeLessThan(1000).doesNotContain("\tat ").doesNotContain("stackTrace")
                        .doesNotContain("Exception").doesNotContain("<html");
            }

            // out of order within a valid session: a response nobody asked for, a notification the server does not know,
            // a second initialize: accepted (202) or refused (4xx), never a 5xx or a stack trace
            Map<String, RawHttp.Response> outOfOrder = new LinkedHashMap<>();
            outOfOrder.put("tools/call before notifications/initialized", RawHttp.send(port, "POST", path, inSession,
                    "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"tools/call\",\"params\":{\"name\":\"list_instances\",\"arguments\":{}}}"));
            outOfOrder.put("response with unknown id", RawHttp.send(port, "POST", path, inSession, "{\"jsonrpc\":\"2.0\",\"id\":777,\"result\":{}}"));
            outOfOrder.put("unknown notification", RawHttp.send(port, "POST", path, inSession,
                    "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/no_such_thing\"}"));
            outOfOrder.put("duplicate initialize", RawHttp.send(port, "POST", path, inSession, INITIALIZE.formatted(7)));
            outOfOrder.put("unknown method", RawHttp.send(port, "POST", path, inSession, "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"no/such\"}"));
            for (Map.Entry<String, RawHttp.Response> e : outOfOrder.entrySet()) {
                RawHttp.Response r = e.getValue();
                System.err.println("[abuse] HTTP " + e.getKey() + " -> " + r.status() + " " + abbreviate(r.body()));
                // the SDK servlet throws on a response to an id it never sent: a 500, whose body our filter keeps short
                int highest = e.getKey().equals("response with unknown id") ? 500 : 499;
                assertThat(r.status()).as(e.getKey() + ": " + r.body()).isBetween(200, highest);
                assertThat(r.body()).as(e.getKey()).doesNotContain("\tat ").doesNotContain("stackTrace").doesNotContain("Exception");
            }
            assertThat(outOfOrder.get("unknown method").body()).contains("-32601");

            // the raw session still works, and so does a well-behaved SDK client
            RawHttp.Response list = RawHttp.send(port, "POST", path, inSession, "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/list\"}");
            assertThat(list.status()).isEqualTo(200);
            assertThat(list.body()).contains("list_instances");
            McpSchema.CallToolResult listed = valid.callTool(McpSchema.CallToolRequest.builder().name("list_instances")
                    .arguments(Map.of()).build());
            assertThat(McpStdioServer.text(listed)).contains("abuse-http");
            assertThat(mcp.client().listTools().tools()).isNotEmpty();
            assertThat(RawHttp.get(port, "/healthz").status()).isEqualTo(200);
            assertThat(String.join("\n", mcp.stderr())).as("no OutOfMemoryError in the server log").doesNotContain("OutOfMemoryError");
        } finally {
            TempDirs.deleteRecursively(registry);
        }
    }

    /** A POST with a body of {@code size} bytes of garbage; a server that answers early may cut the upload short. */
    /** POSTs a large body in chunks; a server that answers and closes before reading it all is fine. */
    private static RawHttp.Response sendLarge(int port, String path, Map<String, String> headers, byte[] body) throws IOException {
        int size = body.length;
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(30_000);
            StringBuilder req = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n");
            headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
            req.append("Content-Length: ").append(size).append("\r\nConnection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
            int chunk = 64 * 1024;
            try {
                for (int sent = 0; sent < size; sent += chunk) {
                    out.write(body, sent, Math.min(chunk, size - sent));
                }
                out.flush();
            } catch (IOException cutShort) {
                // the server answered and closed before reading it all: read that answer
            }
            byte[] raw = socket.getInputStream().readAllBytes();
            String text = new String(raw, StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            int status = Integer.parseInt(text.substring(0, text.indexOf("\r\n")).split(" ")[1]);
            String answer = end < 0 ? "" : text.substring(end + 4);
            if (text.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
                answer = answer.replaceAll("(?m)^[0-9a-fA-F]+\r$\n?", "");
            }
            return new RawHttp.Response(status, Map.of(), answer.strip());
        }
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> m = new LinkedHashMap<>(base);
        m.put(key, value);
        return m;
    }

    private static String abbreviate(Object o) {
        String s = String.valueOf(o).replace("\n", "\\n");
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    private static void send(OutputStream in, String line) throws IOException {
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** Reads stdout on a thread; every line must be a JSON-RPC 2.0 message, anything else is recorded. */
    private static final class StdoutLines {
        final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
        final List<String> nonProtocol = new ArrayList<>();
        final Thread reader;
        volatile int count;

        StdoutLines(InputStream stdout) {
            reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(stdout, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        count++;
                        try {
                            JsonNode node = JSON.readTree(line);
                            if (node == null || !"2.0".equals(node.path("jsonrpc").asText())) {
                                synchronized (nonProtocol) {
                                    nonProtocol.add(line);
                                }
                            } else {
                                messages.add(node);
                            }
                        } catch (IOException e) {
                            synchronized (nonProtocol) {
                                nonProtocol.add(line);
                            }
                        }
                    }
                } catch (IOException e) {
                    // process gone
                }
            }, "stdout-reader");
            reader.setDaemon(true);
            reader.start();
        }

        JsonNode next() throws InterruptedException {
            JsonNode n = messages.poll(30, TimeUnit.SECONDS);
            assertThat(n).as("a JSON-RPC line on stdout within 30 s (non-protocol so far: " + nonProtocol + ")").isNotNull();
            return n;
        }

        /** The reply to request {@code id}; other messages in between (server notifications) are skipped. */
        JsonNode replyTo(int id) throws InterruptedException {
            while (true) {
                JsonNode n = next();
                if (n.path("id").isInt() && n.path("id").asInt() == id && (n.has("result") || n.has("error"))) {
                    return n;
                }
                System.err.println("[abuse] (skipped while waiting for reply " + id + ": " + abbreviate(n) + ")");
            }
        }

        void awaitEnd() throws InterruptedException {
            reader.join(10_000);
        }
    }
}
