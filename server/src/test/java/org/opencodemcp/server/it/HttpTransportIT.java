package org.opencodemcp.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.opencodemcp.server.support.McpStdioServer;
import org.opencodemcp.server.support.Registrations;
import org.opencodemcp.server.transport.RawHttp;
import org.opencodemcp.testkit.Eventually;
import org.opencodemcp.testkit.FakeLlm;
import org.opencodemcp.testkit.FakeReply;
import org.opencodemcp.testkit.OpenCodeServer;
import org.opencodemcp.testkit.Closer;
import org.opencodemcp.testkit.ServerEnvironment;
import org.opencodemcp.testkit.TempDirs;

/**
 * End to end over Streamable HTTP: the packaged jar with {@code --http}, the MCP Java SDK's HTTP
 * client, a real {@code opencode serve} (fake LLM) registered in a temp registry. One server and one
 * opencode for the class, to keep the load of a 2-core CI machine low.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpTransportIT {
    private static final String NAME = "httphost-project";
    private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
            + "\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";

    private Path registry;
    private FakeLlm llm;
    private OpenCodeServer opencode;
    private McpHttpServer mcp;

    @BeforeAll
    void start() {
        registry = TempDirs.create("registry-http-");
        llm = FakeLlm.start();
        opencode = OpenCodeServer.builder().llm(llm).start();
        Registrations.write(registry, NAME, opencode.port(), opencode.directory().toString());
        mcp = McpHttpServer.start(registry, Map.of());
        System.err.println("[measure] opencode-mcp --http: spawn -> /readyz 200 in " + mcp.readyMillis() + " ms");
    }

    @AfterAll
    void stop() {
        Closer.closeAll(mcp, opencode, llm, () -> TempDirs.deleteRecursively(registry));
    }

    @Test
    void initializeListToolsAndListInstancesOverHttp() {
        long t0 = System.nanoTime();
        McpSyncClient client = mcp.client();
        System.err.println("[measure] HTTP initialize (warm server) " + (System.nanoTime() - t0) / 1_000_000 + " ms");

        List<McpSchema.Tool> tools = client.listTools().tools();
        assertThat(tools).extracting(McpSchema.Tool::name).contains("list_instances", "refresh_instances");
        assertThat(tools).allSatisfy(t -> assertThat(t.outputSchema()).isNotNull());

        String cwd = opencode.directory().toString();
        Eventually.await(Duration.ofSeconds(5), () -> assertThat(onlyInstance(client)).containsEntry("name", NAME)
                .containsEntry("state", "online").containsEntry("cwd", cwd));
        McpSchema.CallToolResult listed = call(client, "list_instances");
        assertThat(McpStdioServer.text(listed)).contains(NAME).contains("online");
    }

    @Test
    void sendMessageStreamsProgressAndAnswersStillRunningOverHttp() {
        McpSyncClient probe = mcp.client();
        assertThat(probe.listTools().tools()).extracting(McpSchema.Tool::name).contains("send_message");
        Eventually.await(Duration.ofSeconds(5), () -> assertThat(onlyInstance(probe)).containsEntry("state", "online"));

        List<McpSchema.ProgressNotification> progress = new CopyOnWriteArrayList<>();
        McpSyncClient client = mcp.client(McpHttpServer.TOKEN, progress::add);
        llm.on("stream over http", FakeReply.slowText(Duration.ofMillis(300), "one ", "two ", "three ", "four"));
        McpSchema.CallToolResult done = client.callTool(McpSchema.CallToolRequest.builder().name("send_message")
                .arguments(Map.of("instance", NAME, "session", "new", "message", "please stream over http", "wait_seconds", 60))
                .meta(Map.of("progressToken", "http-progress-1")).build());
        assertThat(done.isError()).as(McpStdioServer.text(done)).isFalse();
        assertThat(McpStdioServer.structured(done)).containsEntry("state", "completed");
        assertThat((String) McpStdioServer.structured(done).get("text")).contains("one two three four");
        assertThat(progress).as("text deltas arrive as progress on the POST's SSE stream").isNotEmpty();
        assertThat(progress).allSatisfy(p -> assertThat(p.progressToken()).isEqualTo("http-progress-1"));
        assertThat(String.join("", progress.stream().map(McpSchema.ProgressNotification::message).toList()))
                .contains("one").contains("four");

        llm.on("slow over http", FakeReply.slowText(Duration.ofMillis(1500), "a ", "b ", "c ", "d"));
        McpSchema.CallToolResult running = client.callTool(McpSchema.CallToolRequest.builder().name("send_message")
                .arguments(Map.of("instance", NAME, "session", "new", "message", "slow over http please", "wait_seconds", 1))
                .build());
        assertThat(running.isError()).as(McpStdioServer.text(running)).isFalse();
        assertThat(McpStdioServer.structured(running)).containsEntry("state", "running");
        assertThat((String) McpStdioServer.structured(running).get("followUp")).isNotBlank();
    }

    @Test
    void missingOrWrongTokenIs401WrongOriginOrHostIs403() {
        Map<String, String> json = Map.of("Content-Type", "application/json", "Accept", "application/json, text/event-stream");

        RawHttp.Response none = RawHttp.send(mcp.port(), "POST", mcp.path(), json, INITIALIZE);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");

        RawHttp.Response wrong = RawHttp.send(mcp.port(), "POST", mcp.path(), with(json, "Authorization", "Bearer not-the-token-0123456789"),
                INITIALIZE);
        assertThat(wrong.status()).isEqualTo(401);

        Map<String, String> authed = with(json, "Authorization", "Bearer " + McpHttpServer.TOKEN);
        RawHttp.Response origin = RawHttp.send(mcp.port(), "POST", mcp.path(), with(authed, "Origin", "http://evil.example"), INITIALIZE);
        assertThat(origin.status()).isEqualTo(403);
        assertThat(origin.body()).contains("Origin").doesNotContain("stackTrace");

        RawHttp.Response host = RawHttp.send(mcp.port(), "POST", mcp.path(), with(authed, "Host", "evil.example:" + mcp.port()), INITIALIZE);
        assertThat(host.status()).isEqualTo(403);
        assertThat(host.body()).contains("Host");

        RawHttp.Response ok = RawHttp.send(mcp.port(), "POST", mcp.path(),
                with(authed, "Origin", "http://localhost:" + mcp.port()), INITIALIZE);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.header("Mcp-Session-Id")).isNotBlank();
        assertThat(ok.body()).contains("opencode-mcp");

        assertThatThrownBy(() -> mcp.client("Bearer-less-and-wrong-0123456789", p -> { }))
                .as("the SDK client with a wrong token cannot initialize").isInstanceOf(RuntimeException.class);
    }

    @Test
    void sdkErrorBodiesAreShortJsonWithoutStackTraces() {
        Map<String, String> authed = Map.of("Content-Type", "application/json", "Accept", "application/json, text/event-stream",
                "Authorization", "Bearer " + McpHttpServer.TOKEN);
        RawHttp.Response noSession = RawHttp.send(mcp.port(), "POST", mcp.path(), authed,
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
        assertThat(noSession.status()).isEqualTo(400);
        assertThat(noSession.body()).startsWith("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{").contains("Session ID required")
                .doesNotContain("stackTrace").doesNotContain("\tat ").hasSizeLessThan(400);

        RawHttp.Response unknownSession = RawHttp.send(mcp.port(), "POST", mcp.path(), with(authed, "Mcp-Session-Id", "nope"),
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
        assertThat(unknownSession.status()).isEqualTo(404);
        assertThat(unknownSession.body()).contains("\"error\"").doesNotContain("<html");

        RawHttp.Response garbage = RawHttp.send(mcp.port(), "POST", mcp.path(), authed, "not json");
        assertThat(garbage.status()).isEqualTo(400);
        assertThat(garbage.body()).contains("\"error\"").doesNotContain("stackTrace");
    }

    @Test
    void healthEndpointsAnswerWithoutTheTokenAndRevealNoInstanceDetails() {
        Eventually.await(Duration.ofSeconds(5), () -> assertThat(RawHttp.get(mcp.port(), "/healthz").body()).contains("\"online\":1"));
        RawHttp.Response health = RawHttp.get(mcp.port(), "/healthz");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"ok\"").contains("\"watcherAlive\":true").contains("\"total\":1");
        RawHttp.Response ready = RawHttp.get(mcp.port(), "/readyz");
        assertThat(ready.status()).isEqualTo(200);
        for (RawHttp.Response r : List.of(health, ready)) {
            assertThat(r.body()).doesNotContain(NAME).doesNotContain("testhost").doesNotContain(opencode.directory().toString())
                    .doesNotContain(registry.toString()).doesNotContain(Integer.toString(opencode.port()));
        }
    }

    @Test
    void manyConcurrentClientsAreAllServedAndNoneMixedUp() throws Exception {
        int clients = 20;
        int calls = 10;
        Eventually.await(Duration.ofSeconds(5), () -> assertThat(onlyInstance(mcp.client())).containsEntry("state", "online"));
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicInteger served = new AtomicInteger();
        long t0 = System.nanoTime();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int id = c;
                futures.add(pool.submit(() -> {
                    McpSyncClient client = mcp.client();
                    for (int i = 0; i < calls; i++) {
                        switch (i % 3) {
                            case 0 -> assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name).contains("list_instances");
                            case 1 -> assertThat(McpStdioServer.text(call(client, "list_instances"))).contains(NAME);
                            default -> {
                                // a per-request unique answer: the error message names the unknown tool called
                                String unique = "nope_" + id + "_" + i;
                                assertThatThrownBy(() -> call(client, unique)).isInstanceOfSatisfying(McpError.class,
                                        e -> assertThat(e.getJsonRpcError().message()).isEqualTo("Unknown tool: " + unique));
                            }
                        }
                        served.incrementAndGet();
                    }
                    client.closeGracefully();
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.err.println("[measure] " + clients + " HTTP clients x " + calls + " calls (each with its own initialize): " + ms + " ms");
        assertThat(served.get()).isEqualTo(clients * calls);
        assertThat(RawHttp.get(mcp.port(), "/healthz").status()).isEqualTo(200);
    }

    @Test
    void refusesToStartWithoutATokenOnLoopbackAndElsewhere() throws Exception {
        for (String address : List.of("127.0.0.1:0", "0.0.0.0:0")) {
            ProcessBuilder pb = new ProcessBuilder(McpStdioServer.javaBinary(), "-jar", McpStdioServer.jar().toString(), "--http", address,
                    "--allow-remote").redirectErrorStream(true);
            pb.environment().remove("MCP_BEARER_TOKEN");
            pb.environment().remove("MCP_BEARER_TOKEN_FILE");
            ServerEnvironment.apply(pb, registry); // its own jobs.db, never the account's
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(2);
            assertThat(out).contains("without a bearer token").contains("openssl rand").doesNotContain("Exception");
            if (address.startsWith("0.0.0.0")) {
                assertThat(out).contains("non-loopback");
            }
        }
    }

    private static McpSchema.CallToolResult call(McpSyncClient client, String tool) {
        return client.callTool(McpSchema.CallToolRequest.builder().name(tool).arguments(Map.of()).build());
    }

    private static Map<String, Object> onlyInstance(McpSyncClient client) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> all = (List<Map<String, Object>>) McpStdioServer.structured(call(client, "list_instances")).get("instances");
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> m = new java.util.LinkedHashMap<>(base);
        m.put(key, value);
        return m;
    }
}
