package org.opencodemcp.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencodemcp.server.support.McpStdioServer;
import org.opencodemcp.server.support.OneInstanceFleet;
import org.opencodemcp.testkit.Eventually;
import org.opencodemcp.testkit.FakeLlm;
import org.opencodemcp.testkit.FakeReply;
import org.opencodemcp.testkit.OpenCodeServer;
import org.opencodemcp.testkit.Closer;

/**
 * End to end: the packaged jar over stdio (real MCP Java SDK client) drives a real {@code opencode serve}
 * whose LLM is the fake. One opencode and one MCP server are shared by the whole class (each opencode start
 * costs seconds); every test works in its own session(s) and keyword scenario.
 */
class SessionToolsIT {
    static final String INSTANCE = "testhost-sessions";
    private static OneInstanceFleet fleet;
    private static FakeLlm llm;
    private static OpenCodeServer opencode;
    private static McpStdioServer mcp;

    @BeforeAll
    static void start() {
        fleet = OneInstanceFleet.builder(INSTANCE).scenarios(SessionToolsIT::scenarios).start();
        llm = fleet.llm();
        opencode = fleet.opencode();
        mcp = fleet.mcp();
    }

    private static void scenarios(FakeLlm llm) {
        llm.on("SAY-HELLO", FakeReply.text("Hello ", "from ", "the ", "fake ", "LLM."));
        llm.on("SLOW-REPLY", FakeReply.slowText(Duration.ofMillis(700), "slow-0 ", "slow-1 ", "slow-2 ", "slow-3 ", "slow-4 ", "slow-done"));
        llm.on("VERY-SLOW", FakeReply.slowText(Duration.ofSeconds(1), "v0 ", "v1 ", "v2 ", "v3 ", "v4 ", "v5 ", "v6 ", "v7 ", "v8 ", "v9 "));
        llm.on("RUN-BASH", FakeReply.toolCall("bash", "{\"command\":\"echo hi-from-bash\",\"description\":\"Echo a greeting\"}",
                FakeReply.text("Bash done.")));
        llm.on("RATE-LIMIT", FakeReply.error(429, "Rate limited by fake"));
        llm.on("ALPHA-STREAM", FakeReply.slowText(Duration.ofMillis(150), "alpha-1 ", "alpha-2 ", "alpha-3 ", "alpha-4"));
        llm.on("BETA-STREAM", FakeReply.slowText(Duration.ofMillis(150), "beta-1 ", "beta-2 ", "beta-3 ", "beta-4"));
    }

    @AfterAll
    static void stop() {
        Closer.closeAll(fleet);
    }

    @Test
    void everyToolDeclaresAnOutputSchema() {
        List<McpSchema.Tool> tools = mcp.client().listTools().tools();
        assertThat(tools).extracting(McpSchema.Tool::name).contains("list_sessions", "get_session", "create_session",
                "send_message", "get_status", "abort_session", "reply_permission", "get_diff", "list_agents");
        assertThat(tools).allSatisfy(t -> assertThat(t.outputSchema()).isNotNull());
    }

    @Test
    void syncSendReturnsTheExactTextWithOrderedProgress() {
        String session = createSession("sync send");
        String token = "tok-sync";
        McpSchema.CallToolResult result = mcp.callWithProgress("send_message",
                args("session", session, "message", "please SAY-HELLO"), token);
        assertOk(result);
        Map<String, Object> s = McpStdioServer.structured(result);
        assertThat(s).containsEntry("state", "completed").containsEntry("text", "Hello from the fake LLM.")
                .containsEntry("sessionId", session);
        assertThat(s.get("messageId")).asString().startsWith("msg_");
        assertThat(s).containsKey("tokens").containsKey("cost");
        assertThat(McpStdioServer.text(result)).contains("Hello from the fake LLM.");

        List<McpSchema.ProgressNotification> mine = mcp.progress().stream()
                .filter(p -> token.equals(p.progressToken())).toList();
        assertThat(mine).isNotEmpty();
        StringBuilder joined = new StringBuilder();
        double last = 0;
        for (McpSchema.ProgressNotification p : mine) {
            assertThat(p.progress()).isGreaterThan(last);
            last = p.progress();
            joined.append(p.message());
        }
        assertThat(joined.toString()).isEqualTo("Hello from the fake LLM.");
    }

    @Test
    void asyncSendThenGetSessionShowsTheReply() {
        String session = createSession("async send");
        McpSchema.CallToolResult sent = mcp.call("send_message", args("session", session, "message", "async SAY-HELLO", "async", true));
        assertOk(sent);
        assertThat(McpStdioServer.structured(sent)).containsEntry("state", "sent");
        assertThat((String) McpStdioServer.structured(sent).get("followUp")).contains("get_session").contains(session);

        Eventually.await(Duration.ofSeconds(20), () -> {
            McpSchema.CallToolResult got = mcp.call("get_session", args("session", session));
            assertOk(got);
            List<Map<String, Object>> messages = messages(got);
            assertThat(messages).anySatisfy(m -> assertThat(m).containsEntry("role", "assistant")
                    .containsEntry("text", "Hello from the fake LLM.").containsEntry("completed", true));
            assertThat(McpStdioServer.text(got)).contains("#### User").contains("async SAY-HELLO")
                    .contains("Hello from the fake LLM.").containsPattern("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        });
    }

    @Test
    void slowReplyPastWaitSecondsIsStillRunningAndStillFinishes() {
        String session = createSession("slow send");
        McpSchema.CallToolResult result = mcp.call("send_message",
                args("session", session, "message", "SLOW-REPLY please", "wait_seconds", 1));
        assertOk(result);
        Map<String, Object> s = McpStdioServer.structured(result);
        assertThat(s).containsEntry("state", "running").containsEntry("sessionId", session);
        assertThat(s.get("messageId")).asString().startsWith("msg_");
        assertThat((String) s.get("followUp")).isEqualTo("get_session {\"instance\":\"" + INSTANCE + "\",\"session\":\"" + session + "\"}");
        assertThat(McpStdioServer.text(result)).contains("Still running").contains("Do not send");

        Eventually.await(Duration.ofSeconds(20), () -> assertThat(messages(mcp.call("get_session", args("session", session))))
                .anySatisfy(m -> assertThat(m).containsEntry("role", "assistant").containsEntry("completed", true)
                        .hasEntrySatisfying("text", t -> assertThat((String) t).endsWith("slow-done"))));
        assertThat(llm.requests().stream().filter(r -> r.toString().contains("SLOW-REPLY") && r.has("tools")).count())
                .as("never re-sent").isEqualTo(1);
    }

    @Test
    void toolCallingTurnShowsTheToolInGetSession() {
        String session = createSession("tool turn");
        McpSchema.CallToolResult result = mcp.call("send_message", args("session", session, "message", "RUN-BASH now"));
        assertOk(result);
        Map<String, Object> s = McpStdioServer.structured(result);
        assertThat(s).containsEntry("state", "completed").containsEntry("text", "Bash done.");
        assertThat(list(s.get("tools"))).anySatisfy(t -> assertThat(t).containsEntry("tool", "bash")
                .containsEntry("status", "completed").containsEntry("input", "echo hi-from-bash"));

        McpSchema.CallToolResult got = mcp.call("get_session", args("session", session));
        assertThat(McpStdioServer.text(got)).contains("tool `bash` completed: `echo hi-from-bash`").contains("Bash done.");
    }

    @Test
    void abortDuringASlowReply() {
        String session = createSession("abort me");
        McpSchema.CallToolResult sent = mcp.call("send_message", args("session", session, "message", "VERY-SLOW answer", "async", true));
        assertOk(sent);
        Eventually.await(Duration.ofSeconds(10), () -> assertThat(statusOf(session)).isEqualTo("busy"));

        McpSchema.CallToolResult busy = mcp.call("send_message", args("session", session, "message", "another one"));
        assertThat(busy.isError()).isTrue();
        assertThat(McpStdioServer.text(busy)).contains("busy").contains("abort_session");

        McpSchema.CallToolResult aborted = mcp.call("abort_session", args("session", session));
        assertOk(aborted);
        assertThat(McpStdioServer.structured(aborted)).containsEntry("wasRunning", true);
        Eventually.await(Duration.ofSeconds(10), () -> assertThat(statusOf(session)).isEqualTo("idle"));
        assertThat(messages(mcp.call("get_session", args("session", session))))
                .anySatisfy(m -> assertThat(m).containsEntry("role", "assistant")
                        .hasEntrySatisfying("error", e -> assertThat((String) e).contains("MessageAbortedError")));
    }

    @Test
    void rateLimitShowsRetryInGetStatus() {
        String session = createSession("rate limited");
        assertOk(mcp.call("send_message", args("session", session, "message", "RATE-LIMIT me", "async", true)));
        try {
            Eventually.await(Duration.ofSeconds(20), () -> {
                McpSchema.CallToolResult status = mcp.call("get_status", args());
                assertOk(status);
                Map<String, Object> row = sessionRow(status, session);
                assertThat(row).containsEntry("status", "retry");
                assertThat((Map<String, Object>) cast(row.get("retry"))).containsEntry("message", "Rate limited by fake")
                        .containsKey("attempt").containsKey("next");
                assertThat(McpStdioServer.text(status)).contains("retry #").contains("Rate limited by fake");
            });
        } finally {
            mcp.call("abort_session", args("session", session));
        }
    }

    @Test
    void sessionsMatchByPrefixTitleAndReportAmbiguityAndUnknowns() {
        String a = createSession("Refactor the parser");
        String b = createSession("Refactor the lexer");
        // prefix: the full id minus its last characters is still unique
        McpSchema.CallToolResult byPrefix = mcp.call("get_session", args("session", a.substring(0, a.length() - 3)));
        assertOk(byPrefix);
        assertThat(sessionId(byPrefix)).isEqualTo(a);
        // title substring, any case
        McpSchema.CallToolResult byTitle = mcp.call("get_session", args("session", "the LEXER"));
        assertOk(byTitle);
        assertThat(sessionId(byTitle)).isEqualTo(b);
        // ambiguous title: an error listing both, with ids long enough to tell apart
        McpSchema.CallToolResult ambiguous = mcp.call("get_session", args("session", "refactor the"));
        assertThat(ambiguous.isError()).isTrue();
        assertThat(McpStdioServer.text(ambiguous)).contains("Refactor the parser").contains("Refactor the lexer");
        // error results are text only (clients validate structured content against the success schema)
        assertThat(ambiguous.structuredContent()).isNull();
        Matcher parser = Pattern.compile("(ses_\\w+) \\(Refactor the parser\\)").matcher(McpStdioServer.text(ambiguous));
        assertThat(parser.find()).as(McpStdioServer.text(ambiguous)).isTrue();
        String shortA = parser.group(1);
        assertThat(shortA).isNotEqualTo(a);
        assertThat(a).startsWith(shortA);
        assertOk(mcp.call("get_session", args("session", shortA)));
        // ambiguous prefix
        McpSchema.CallToolResult ses = mcp.call("get_session", args("session", "ses_"));
        assertThat(ses.isError()).isTrue();
        assertThat(McpStdioServer.text(ses)).contains("matches");
        // unknown session lists the choices
        McpSchema.CallToolResult unknown = mcp.call("get_session", args("session", "no such session anywhere"));
        assertThat(unknown.isError()).isTrue();
        assertThat(McpStdioServer.text(unknown)).contains("Refactor the parser").contains("list_sessions");
        // unknown instance lists the instances
        Map<String, Object> wrongInstance = new HashMap<>(Map.of("instance", "nope-not-here", "session", a));
        McpSchema.CallToolResult noInstance = mcp.call("get_session", wrongInstance);
        assertThat(noInstance.isError()).isTrue();
        assertThat(McpStdioServer.text(noInstance)).contains(INSTANCE);
        // list_sessions shows both with the short ids
        McpSchema.CallToolResult listed = mcp.call("list_sessions", args());
        assertOk(listed);
        assertThat(McpStdioServer.text(listed)).contains("Refactor the parser").contains("Refactor the lexer");
    }

    @Test
    void twoConcurrentSendsToTwoSessionsNeverMix() throws Exception {
        String a = createSession("concurrent alpha");
        String b = createSession("concurrent beta");
        CompletableFuture<McpSchema.CallToolResult> fa = CompletableFuture.supplyAsync(() ->
                mcp.callWithProgress("send_message", args("session", a, "message", "ALPHA-STREAM go"), "tok-alpha"));
        CompletableFuture<McpSchema.CallToolResult> fb = CompletableFuture.supplyAsync(() ->
                mcp.callWithProgress("send_message", args("session", b, "message", "BETA-STREAM go"), "tok-beta"));
        McpSchema.CallToolResult ra = fa.get();
        McpSchema.CallToolResult rb = fb.get();
        assertOk(ra);
        assertOk(rb);
        assertThat(McpStdioServer.structured(ra)).containsEntry("text", "alpha-1 alpha-2 alpha-3 alpha-4");
        assertThat(McpStdioServer.structured(rb)).containsEntry("text", "beta-1 beta-2 beta-3 beta-4");
        assertThat(progressText("tok-alpha")).isEqualTo("alpha-1 alpha-2 alpha-3 alpha-4");
        assertThat(progressText("tok-beta")).isEqualTo("beta-1 beta-2 beta-3 beta-4");
    }

    @Test
    void sendWithoutSessionUsesTheMostRecentlyUpdatedOne() {
        String newest = createSession("the newest one");
        McpSchema.CallToolResult result = mcp.call("send_message", args("message", "SAY-HELLO to the default"));
        assertOk(result);
        assertThat(McpStdioServer.structured(result)).containsEntry("sessionId", newest)
                .containsEntry("text", "Hello from the fake LLM.").doesNotContainKey("createdSession");
    }

    @Test
    void agentsAndUnknownModelAreReported() {
        McpSchema.CallToolResult agents = mcp.call("list_agents", args());
        assertOk(agents);
        assertThat(McpStdioServer.text(agents)).contains("build").contains("plan");
        McpSchema.CallToolResult badModel = mcp.call("send_message", args("session", "new", "message", "x", "model", "nope/x"));
        assertThat(badModel.isError()).isTrue();
        // the instance's own models come first, before OpenCode's built-in catalogue
        assertThat(McpStdioServer.text(badModel)).contains("Unknown model \"nope/x\"")
                .contains("Configured on this instance: fake/fake-model.");
        McpSchema.CallToolResult badCreate = mcp.call("create_session", args("model", "fake/nope"));
        assertThat(badCreate.isError()).isTrue();
        assertThat(badCreate.structuredContent()).isNull();
        assertThat(McpStdioServer.text(badCreate)).startsWith("Error: Unknown model \"fake/nope\"; write it as provider/model."
                + " Configured on this instance: fake/fake-model.");
    }

    // ---- helpers --------------------------------------------------------------------------------

    static Map<String, Object> args(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        m.put("instance", INSTANCE);
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static String createSession(String title) {
        McpSchema.CallToolResult created = mcp.call("create_session", args("title", title));
        assertOk(created);
        return sessionId(created);
    }

    static String sessionId(McpSchema.CallToolResult r) {
        return (String) ((Map<String, Object>) cast(McpStdioServer.structured(r).get("session"))).get("id");
    }

    static String statusOf(String session) {
        return (String) sessionRow(mcp.call("get_status", args()), session).get("status");
    }

    static Map<String, Object> sessionRow(McpSchema.CallToolResult status, String session) {
        return list(McpStdioServer.structured(status).get("sessions")).stream()
                .filter(r -> session.equals(r.get("id"))).findFirst().orElseThrow();
    }

    static List<Map<String, Object>> messages(McpSchema.CallToolResult r) {
        return list(McpStdioServer.structured(r).get("messages"));
    }

    static String progressText(String token) {
        StringBuilder sb = new StringBuilder();
        mcp.progress().stream().filter(p -> token.equals(p.progressToken())).forEach(p -> sb.append(p.message()));
        return sb.toString();
    }

    static void assertOk(McpSchema.CallToolResult r) {
        assertThat(r.isError()).as(() -> McpStdioServer.text(r)).isFalse();
    }

    @SuppressWarnings("unchecked")
    static <T> T cast(Object o) {
        return (T) o;
    }

    static List<Map<String, Object>> list(Object o) {
        return cast(o);
    }

    static boolean exists(Path p) {
        return Files.exists(p);
    }
}
