package org.opencodemcp.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.LoggingLevel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.opencodemcp.server.support.McpStdioServer;
import org.opencodemcp.server.support.Registrations;
import org.opencodemcp.server.transport.RawHttp;
import org.opencodemcp.testkit.Closer;
import org.opencodemcp.testkit.Eventually;
import org.opencodemcp.testkit.FakeOpenCode;
import org.opencodemcp.testkit.TempDirs;

/**
 * MCP log notifications about the fleet, over stdio and over Streamable HTTP, with the MCP Java SDK client: a
 * client that set level {@code info} hears of an instance coming online, of a permission asked (at
 * {@code warning}, with the reply call), of the instance becoming unreachable and of its registration going
 * away; a client that set no level hears nothing; a fake that floods 50 permission requests at once gives at
 * most three messages in any second, then one "and N more".
 */
class FleetLogIT {
    /** Each step waits for a fresh throttle window, so that its message is not held back by the previous ones. */
    static final long FRESH_WINDOW_MS = 1100;

    /** One client's view: its level, and what it received when. */
    interface Client {
        void setLevel(LoggingLevel level);

        List<McpStdioServer.Log> logs();
    }

    @Test
    @Timeout(150)
    void overStdio() throws Exception {
        Path registry = TempDirs.create("registry-fleetlog-stdio-");
        FakeOpenCode alpha = FakeOpenCode.start("/fleetlog/alpha");
        McpStdioServer listening = null;
        McpStdioServer silent = null;
        try {
            Registrations.write(registry, "alpha", alpha.port(), alpha.cwd());
            McpStdioServer a = listening = McpStdioServer.start(registry);
            silent = McpStdioServer.start(registry);
            Client client = new Client() {
                @Override
                public void setLevel(LoggingLevel level) {
                    a.client().setLoggingLevel(level);
                }

                @Override
                public List<McpStdioServer.Log> logs() {
                    return a.logs();
                }
            };
            McpStdioServer quiet = silent;
            scenario(registry, alpha, client, a.client(), () -> quiet.logs());
        } finally {
            Closer.closeAll(listening, silent, alpha, () -> TempDirs.deleteRecursively(registry));
        }
    }

    @Test
    @Timeout(150)
    void overHttp() throws Exception {
        Path registry = TempDirs.create("registry-fleetlog-http-");
        FakeOpenCode alpha = FakeOpenCode.start("/fleetlog/alpha");
        McpHttpServer server = null;
        try {
            Registrations.write(registry, "alpha", alpha.port(), alpha.cwd());
            server = McpHttpServer.start(registry, Map.of());
            List<McpStdioServer.Log> received = new CopyOnWriteArrayList<>();
            List<McpStdioServer.Log> unasked = new CopyOnWriteArrayList<>();
            McpSyncClient a = server.client(McpHttpServer.TOKEN, p -> { }, collect(received));
            server.client(McpHttpServer.TOKEN, p -> { }, collect(unasked));
            Client client = new Client() {
                @Override
                public void setLevel(LoggingLevel level) {
                    a.setLoggingLevel(level);
                }

                @Override
                public List<McpStdioServer.Log> logs() {
                    return List.copyOf(received);
                }
            };
            scenario(registry, alpha, client, a, () -> List.copyOf(unasked));
        } finally {
            Closer.closeAll(server, alpha, () -> TempDirs.deleteRecursively(registry));
        }
    }

    /**
     * The levels and subscriptions the HTTP transport keeps itself are only for sessions the SDK handed out: a
     * flood of made-up {@code Mcp-Session-Id}s (more than the 1,000 connections remembered) gets the SDK's 404
     * and pushes out nothing, so the real session keeps its level and its subscription.
     */
    @Test
    @Timeout(150)
    void overHttpMadeUpSessionsAreRefusedAndTakeNoRealSessionsPlace() throws Exception {
        Path registry = TempDirs.create("registry-fleetlog-sessions-");
        FakeOpenCode alpha = FakeOpenCode.start("/fleetlog/alpha");
        McpHttpServer server = null;
        try {
            Registrations.write(registry, "alpha", alpha.port(), alpha.cwd());
            server = McpHttpServer.start(registry, Map.of());
            List<McpStdioServer.Log> received = new CopyOnWriteArrayList<>();
            List<List<McpSchema.ResourceContents>> updates = new CopyOnWriteArrayList<>();
            McpSyncClient real = server.client(McpHttpServer.TOKEN, p -> { }, collect(received), updates::add);
            Eventually.await(Duration.ofSeconds(15), () -> assertThat(text(real.callTool(
                    new McpSchema.CallToolRequest("list_instances", Map.of())))).contains("alpha").contains("online"));
            real.setLoggingLevel(LoggingLevel.INFO);
            real.subscribeResource(new McpSchema.SubscribeRequest("opencode://instance/alpha"));

            Map<String, String> headers = Map.of("Content-Type", "application/json", "Accept", "application/json, text/event-stream",
                    "Authorization", "Bearer " + McpHttpServer.TOKEN);
            String setLevel = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"logging/setLevel\",\"params\":{\"level\":\"debug\"}}";
            String subscribe = "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"resources/subscribe\","
                    + "\"params\":{\"uri\":\"opencode://fleet\"}}";
            String cancel = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":3}}";
            long t0 = System.nanoTime();
            for (int i = 0; i < 1050; i++) {
                Map<String, String> madeUp = new java.util.HashMap<>(headers);
                madeUp.put("Mcp-Session-Id", "made-up-" + i);
                for (String body : i % 100 == 0 ? List.of(setLevel, subscribe, cancel) : List.of(setLevel, subscribe)) {
                    RawHttp.Response r = RawHttp.send(server.port(), "POST", server.path(), madeUp, body);
                    assertThat(r.status()).as(body).isEqualTo(404);
                    if (i == 0) { // word for word the SDK's own answer to an unknown session
                        assertThat(r.body()).startsWith("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32603,")
                                .contains("Session not found: made-up-0")
                                .isEqualTo(RawHttp.send(server.port(), "POST", server.path(), madeUp,
                                        "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/list\"}").body());
                    }
                }
            }
            System.err.printf("[measure] 2,111 requests with made-up sessions refused in %d ms%n", (System.nanoTime() - t0) / 1_000_000);

            Thread.sleep(FRESH_WINDOW_MS);
            alpha.emit(permission("per_kept_1"));
            Eventually.await(Duration.ofSeconds(5), () -> assertThat(texts(List.copyOf(received), LoggingLevel.WARNING))
                    .as("the real session's level is kept").anySatisfy(t -> assertThat(t).contains("per_kept_1")));
            Eventually.await(Duration.ofSeconds(5), () -> assertThat(updates).as("the real session's subscription is kept")
                    .anySatisfy(c -> assertThat(c.toString()).contains("alpha").contains("pendingPermissions")));
        } finally {
            Closer.closeAll(server, alpha, () -> TempDirs.deleteRecursively(registry));
        }
    }

    private static Consumer<McpSchema.LoggingMessageNotification> collect(List<McpStdioServer.Log> into) {
        return m -> into.add(new McpStdioServer.Log(System.nanoTime(), m));
    }

    private static void scenario(Path registry, FakeOpenCode alpha, Client client, McpSyncClient raw,
            java.util.function.Supplier<List<McpStdioServer.Log>> silentLogs) throws Exception {
        Eventually.await(Duration.ofSeconds(15), () -> assertThat(text(raw.callTool(
                new McpSchema.CallToolRequest("list_instances", Map.of())))).contains("alpha").contains("online"));
        try {
            raw.setLoggingLevel(null);
            throw new AssertionError("a missing level must be refused");
        } catch (McpError | IllegalArgumentException e) {
            // refused by the server (-32602) or already by the client
        }
        client.setLevel(LoggingLevel.INFO);
        Thread.sleep(500); // the first level makes the current fleet the baseline: alpha is not announced
        assertThat(client.logs()).isEmpty();

        FakeOpenCode beta = FakeOpenCode.start("/fleetlog/beta");
        try {
            Path betaFile = Registrations.write(registry, "beta", beta.port(), beta.cwd());
            Eventually.await(Duration.ofSeconds(10), () -> assertThat(texts(client.logs(), LoggingLevel.INFO))
                    .anySatisfy(t -> assertThat(t).startsWith("beta is online")));

            Thread.sleep(FRESH_WINDOW_MS);
            alpha.emit(permission("per_log_1"));
            Eventually.await(Duration.ofSeconds(5), () -> assertThat(texts(client.logs(), LoggingLevel.WARNING))
                    .anySatisfy(t -> assertThat(t).contains("per_log_1").contains("reply_permission")
                            .contains("\"instance\":\"alpha\"")));
            assertThat(client.logs()).allSatisfy(l -> assertThat(l.message().logger()).isEqualTo("opencode-mcp.fleet"));

            Thread.sleep(FRESH_WINDOW_MS);
            beta.close();
            Eventually.await(Duration.ofSeconds(10), () -> assertThat(texts(client.logs(), LoggingLevel.INFO))
                    .anySatisfy(t -> assertThat(t).startsWith("beta is unreachable")));
            Thread.sleep(FRESH_WINDOW_MS);
            Files.delete(betaFile);
            Eventually.await(Duration.ofSeconds(10), () -> assertThat(texts(client.logs(), LoggingLevel.INFO))
                    .anySatisfy(t -> assertThat(t).startsWith("beta is gone")));
        } finally {
            beta.close();
        }

        // a misbehaving instance floods: 50 permission requests at once
        Thread.sleep(FRESH_WINDOW_MS);
        int before = client.logs().size();
        long floodAt = System.nanoTime();
        for (int i = 0; i < 50; i++) {
            alpha.emit(permission("per_flood_" + i));
        }
        Eventually.await(Duration.ofSeconds(8), () -> assertThat(texts(client.logs(), LoggingLevel.WARNING))
                .anySatisfy(t -> assertThat(t).startsWith("and ").contains("more fleet events")));
        Thread.sleep(1500);
        List<McpStdioServer.Log> flood = client.logs().subList(before, client.logs().size());
        System.err.printf("[measure] a flood of 50 permission requests gave %d log messages%n", flood.size());
        assertThat(flood.size()).isBetween(4, 8);
        for (int i = 3; i < flood.size(); i++) {
            long gapMs = (flood.get(i).nanos() - flood.get(i - 3).nanos()) / 1_000_000;
            assertThat(gapMs).as("4 messages within a second").isGreaterThan(800);
        }
        int reported = 0;
        for (McpStdioServer.Log l : flood) {
            String t = l.message().data();
            reported += t.startsWith("and ") ? Integer.parseInt(t.split(" ")[1]) : t.contains("per_flood_") ? 1 : 0;
        }
        assertThat(reported).as("every request is sent or counted").isEqualTo(50);
        assertThat(flood.get(flood.size() - 1).nanos()).isGreaterThan(floodAt);

        assertThat(silentLogs.get()).as("a client that set no level hears nothing").isEmpty();
    }

    private static String permission(String id) {
        return "{\"type\":\"permission.asked\",\"properties\":{\"id\":\"" + id + "\",\"sessionID\":\"ses_log_1\","
                + "\"permission\":\"bash\",\"patterns\":[\"make\"],\"metadata\":{},\"always\":[]}}";
    }

    private static List<String> texts(List<McpStdioServer.Log> logs, LoggingLevel level) {
        return logs.stream().filter(l -> l.message().level() == level).map(l -> l.message().data()).toList();
    }

    private static String text(McpSchema.CallToolResult r) {
        return ((McpSchema.TextContent) r.content().get(0)).text();
    }
}
