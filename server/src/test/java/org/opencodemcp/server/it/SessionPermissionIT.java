package org.opencodemcp.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencodemcp.server.support.McpStdioServer;
import org.opencodemcp.server.support.OneInstanceFleet;
import org.opencodemcp.testkit.Eventually;
import org.opencodemcp.testkit.FakeReply;
import org.opencodemcp.testkit.OpenCodeServer;
import org.opencodemcp.testkit.Closer;

/**
 * End to end with an opencode configured to ask before {@code bash}: send_message returns the pending
 * request at once, reply_permission lets the turn finish. The same server shows a write turn in get_diff.
 */
class SessionPermissionIT {
    static final String INSTANCE = "testhost-perm";
    private static OneInstanceFleet fleet;
    private static OpenCodeServer opencode;
    private static McpStdioServer mcp;

    @BeforeAll
    static void start() {
        fleet = OneInstanceFleet.builder(INSTANCE).scenarios(llm -> {
            llm.on("ASK-BASH", FakeReply.toolCall("bash", "{\"command\":\"echo permitted\",\"description\":\"Echo\"}",
                    FakeReply.text("Bash ran after permission.")));
            llm.on("WRITE-FILE", FakeReply.toolCall("write", "{\"filePath\":\"hello.txt\",\"content\":\"written by fake llm\\n\"}",
                    FakeReply.text("Done writing.")));
        }).opencode(b -> b.permission("{\"bash\":\"ask\"}")).start();
        opencode = fleet.opencode();
        mcp = fleet.mcp();
    }

    @AfterAll
    static void stop() {
        Closer.closeAll(fleet);
    }

    @Test
    @SuppressWarnings("unchecked")
    void sendReturnsThePendingPermissionAndReplyLetsTheTurnFinish() {
        McpSchema.CallToolResult sent = mcp.call("send_message", args("session", "new", "message", "ASK-BASH please",
                "wait_seconds", 40));
        assertThat(sent.isError()).as(() -> McpStdioServer.text(sent)).isFalse();
        Map<String, Object> s = McpStdioServer.structured(sent);
        assertThat(s).containsEntry("state", "waiting_permission").containsEntry("createdSession", true);
        Map<String, Object> permission = (Map<String, Object>) s.get("permission");
        assertThat(permission).containsEntry("permission", "bash");
        assertThat((List<String>) permission.get("patterns")).anySatisfy(p -> assertThat(p).contains("echo permitted"));
        String id = (String) permission.get("id");
        String session = (String) s.get("sessionId");
        assertThat(McpStdioServer.text(sent)).contains("reply_permission").contains(id);

        McpSchema.CallToolResult status = mcp.call("get_status", args());
        assertThat((List<Map<String, Object>>) McpStdioServer.structured(status).get("permissions"))
                .anySatisfy(p -> assertThat(p).containsEntry("id", id).containsEntry("sessionId", session));
        assertThat(McpStdioServer.text(status)).contains("echo permitted");

        McpSchema.CallToolResult wrong = mcp.call("reply_permission", args("permission_id", "per_nope", "reply", "once"));
        assertThat(wrong.isError()).isTrue();
        assertThat(McpStdioServer.text(wrong)).contains(id);

        McpSchema.CallToolResult replied = mcp.call("reply_permission", args("permission_id", id, "reply", "once"));
        assertThat(replied.isError()).as(() -> McpStdioServer.text(replied)).isFalse();

        Eventually.await(Duration.ofSeconds(20), () -> {
            McpSchema.CallToolResult got = mcp.call("get_session", args("session", session));
            assertThat(McpStdioServer.text(got)).contains("tool `bash` completed: `echo permitted`")
                    .contains("Bash ran after permission.");
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void writeTurnShowsInGetDiff() {
        McpSchema.CallToolResult sent = mcp.call("send_message", args("session", "new", "message", "WRITE-FILE now"));
        assertThat(sent.isError()).as(() -> McpStdioServer.text(sent)).isFalse();
        Map<String, Object> s = McpStdioServer.structured(sent);
        assertThat(s).containsEntry("state", "completed").containsEntry("text", "Done writing.");
        String session = (String) s.get("sessionId");

        Eventually.await(Duration.ofSeconds(10), () -> {
            McpSchema.CallToolResult diff = mcp.call("get_diff", args("session", session));
            assertThat(diff.isError()).as(() -> McpStdioServer.text(diff)).isFalse();
            assertThat((List<Map<String, Object>>) McpStdioServer.structured(diff).get("files"))
                    .anySatisfy(f -> assertThat(f).containsEntry("file", "hello.txt").containsEntry("additions", 1)
                            .hasEntrySatisfying("patch", p -> assertThat((String) p).contains("+written by fake llm")));
        });
    }

    static Map<String, Object> args(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        m.put("instance", INSTANCE);
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
