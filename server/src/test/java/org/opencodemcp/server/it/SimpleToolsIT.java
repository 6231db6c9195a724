package org.opencodemcp.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.opencodemcp.server.support.McpStdioServer;
import org.opencodemcp.server.support.OneInstanceFleet;
import org.opencodemcp.testkit.Closer;
import org.opencodemcp.testkit.Eventually;
import org.opencodemcp.testkit.FakeReply;
import org.opencodemcp.testkit.OpenCodeServer;

/**
 * The simple profile's {@code instances}, {@code send} and {@code read} through the packaged jar (TOOLS=all,
 * so the full tools are there to compare), against a real {@code opencode serve} with the fake LLM. One
 * story in order: the "most recent session" these tools work on depends on what came before.
 */
class SimpleToolsIT {
    static final String INSTANCE = "testhost-simple";
    private OneInstanceFleet fleet;
    private OpenCodeServer opencode;
    private McpStdioServer mcp;

    @BeforeEach
    void start() {
        fleet = OneInstanceFleet.builder(INSTANCE).scenarios(llm -> {
            llm.on("SAY-HELLO", FakeReply.text("Hello ", "from ", "the ", "fake ", "LLM."));
            llm.on("VERY-SLOW", FakeReply.slowText(Duration.ofSeconds(1), "v0 ", "v1 ", "v2 ", "v3 ", "v4 ", "v5 ", "v6 ", "v7 ",
                    "v8 ", "v9 ", "v10 ", "v11 ", "v12 ", "v13 ", "v14"));
        }).serverEnv(Map.of("TOOLS", "all", "SEND_WAIT_SECONDS", "8")).unregistered().start();
        opencode = fleet.opencode();
        mcp = fleet.mcp();
    }

    @AfterEach
    void stop() {
        Closer.closeAll(fleet);
    }

    @Test
    @Timeout(180)
    void instancesSendAndReadDriveTheMostRecentSession() throws Exception {
        McpSchema.CallToolResult none = mcp.call("instances", Map.of());
        assertOk(none);
        assertThat(text(none)).contains("No OpenCode instances").contains("opencode-connected");

        fleet.register();
        Eventually.await(Duration.ofSeconds(10), () -> assertThat(text(mcp.call("instances", Map.of())))
                .contains("**" + INSTANCE + "** (testhost:" + opencode.directory() + ")").contains("online | idle"));

        McpSchema.CallToolResult noMessage = mcp.call("send", Map.of("instance", INSTANCE));
        assertThat(noMessage.isError()).isTrue();
        assertThat(noMessage.structuredContent()).isNull();
        assertThat(text(noMessage)).contains("`message` is required");

        McpSchema.CallToolResult idleAbort = mcp.call("send", Map.of("instance", "simple", "abort", true));
        assertOk(idleAbort);
        assertThat(structured(idleAbort)).containsEntry("state", "nothing_to_abort");
        assertThat(text(idleAbort)).contains("nothing to abort");

        // no session yet: send creates one and says so; the reply streams as progress
        McpSchema.CallToolResult sent = mcp.callWithProgress("send", Map.of("instance", INSTANCE, "message", "please SAY-HELLO"),
                "tok-simple");
        assertOk(sent);
        assertThat(structured(sent)).containsEntry("state", "completed").containsEntry("text", "Hello from the fake LLM.")
                .containsEntry("createdSession", true);
        assertThat(text(sent)).contains("newly created").contains("Hello from the fake LLM.");
        assertThat(mcp.progress()).anySatisfy(p -> assertThat(p.progressToken()).isEqualTo("tok-simple"));
        String session = (String) structured(sent).get("sessionId");

        McpSchema.CallToolResult read = mcp.call("read", Map.of("instance", INSTANCE));
        assertOk(read);
        assertThat(text(read)).contains("**" + INSTANCE + "** — \"").contains("(idle)").contains("#### User")
                .contains("please SAY-HELLO").contains("#### Assistant").contains("Hello from the fake LLM.")
                .containsPattern("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(structured(read)).extracting("session").asString().contains(session);

        // the same conversation as a resource, and the instance with its sessions
        assertThat(resource("opencode://instance/" + INSTANCE + "/session/" + session)).startsWith("## Session:")
                .contains("please SAY-HELLO").contains("Hello from the fake LLM.");
        assertThat(resource("opencode://instance/" + INSTANCE)).contains("\"name\":\"" + INSTANCE + "\"").contains(session);

        Eventually.await(Duration.ofSeconds(10), () -> assertThat(text(mcp.call("instances", Map.of())))
                .containsPattern("online \\| idle — \"[^\"]+\" \\| v1\\.18\\.33"));

        // a slow turn: the wait ends "still running" after SEND_WAIT_SECONDS (8 s of a 15 s reply), pointing at read
        CompletableFuture<McpSchema.CallToolResult> slow = CompletableFuture.supplyAsync(
                () -> mcp.call("send", Map.of("instance", INSTANCE, "message", "VERY-SLOW please")));
        Eventually.await(Duration.ofSeconds(10), () -> assertThat(text(mcp.call("read", Map.of("instance", INSTANCE))))
                .contains("(busy)"));
        McpSchema.CallToolResult busy = mcp.call("send", Map.of("instance", INSTANCE, "message", "another one"));
        assertOk(busy);
        assertThat(structured(busy)).containsEntry("state", "busy");
        assertThat(text(busy)).contains("busy").contains("\"abort\":true");

        McpSchema.CallToolResult running = slow.get(30, TimeUnit.SECONDS);
        assertOk(running);
        assertThat(structured(running)).containsEntry("state", "running").containsEntry("sessionId", session);
        assertThat((String) structured(running).get("followUp")).isEqualTo("read {\"instance\":\"" + INSTANCE + "\"}");
        assertThat(text(running)).contains("Still running").doesNotContain("get_session").doesNotContain("abort_session");

        McpSchema.CallToolResult aborted = mcp.call("send", Map.of("instance", INSTANCE, "abort", true));
        assertOk(aborted);
        assertThat(structured(aborted)).containsEntry("state", "aborted").containsEntry("aborted", List.of(session));
        Eventually.await(Duration.ofSeconds(10), () -> assertThat(structured(mcp.call("send",
                Map.of("instance", INSTANCE, "abort", true)))).containsEntry("state", "nothing_to_abort"));
        assertThat(text(mcp.call("read", Map.of("instance", INSTANCE)))).contains("(idle)").contains("VERY-SLOW please");

        // list_sessions pages too: limit, query, cursor (full profile, same server)
        assertOk(mcp.call("create_session", Map.of("instance", INSTANCE, "title", "second session")));
        Map<String, Object> firstPage = structured(mcp.call("list_sessions", Map.of("instance", INSTANCE, "limit", 1)));
        assertThat(firstPage).containsEntry("total", 2).containsEntry("matched", 2).containsKey("nextCursor");
        assertThat((List<?>) firstPage.get("sessions")).hasSize(1).first().asString().contains("second session");
        Map<String, Object> secondPage = structured(mcp.call("list_sessions",
                Map.of("instance", INSTANCE, "limit", 1, "cursor", firstPage.get("nextCursor"))));
        assertThat((List<?>) secondPage.get("sessions")).hasSize(1).first().asString().contains(session);
        assertThat(secondPage).doesNotContainKey("nextCursor");
        Map<String, Object> queried = structured(mcp.call("list_sessions", Map.of("instance", INSTANCE, "query", "SECOND")));
        assertThat(queried).containsEntry("matched", 1);
    }

    private String resource(String uri) {
        McpSchema.ReadResourceResult r = mcp.client().readResource(new McpSchema.ReadResourceRequest(uri));
        return ((McpSchema.TextResourceContents) r.contents().get(0)).text();
    }

    private static void assertOk(McpSchema.CallToolResult r) {
        assertThat(r.isError()).as(text(r)).isFalse();
    }

    private static String text(McpSchema.CallToolResult r) {
        return McpStdioServer.text(r);
    }

    private static Map<String, Object> structured(McpSchema.CallToolResult r) {
        return McpStdioServer.structured(r);
    }
}
