package org.opencodemcp.server.tools.session;

import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import org.opencodemcp.server.opencode.SessionInfo;
import org.opencodemcp.server.tools.Markdown;
import org.opencodemcp.server.tools.McpTool;
import org.opencodemcp.server.tools.ToolArgs;
import org.opencodemcp.server.tools.ToolResults;

/**
 * {@code read} (simple profile): the instance's most recently updated session as a conversation, with
 * its idle/busy state. Rendering is {@link Conversation}'s, the same as {@code get_session}.
 */
final class SimpleReadTool implements McpTool {
    static final int DEFAULT_LIMIT = 10;
    private final SessionLookup lookup;

    SimpleReadTool(SessionLookup lookup) {
        this.lookup = lookup;
    }

    @Override
    public McpSchema.Tool definition() {
        return SessionSchemas.tool("read", "Read an instance's latest session",
                        "Read the last messages of the most recently updated OpenCode session on an instance: roles, "
                                + "times (ISO UTC), text and tool calls with their status, and whether it is idle or busy. "
                                + "Use it to see what happened without sending anything.",
                        SessionSchemas.input("\"message_limit\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":"
                                + GetSessionTool.MAX_LIMIT + ",\"default\":" + DEFAULT_LIMIT
                                + ",\"description\":\"How many of the newest messages to show\"}"),
                        "{\"type\":\"object\",\"required\":[\"instance\",\"messages\"],\"properties\":{"
                                + "\"instance\":{\"type\":\"string\"},\"session\":" + SessionSchemas.sessionSummary()
                                + ",\"messages\":{\"type\":\"array\",\"items\":" + SessionSchemas.MESSAGE + "}}}")
                .annotations(SessionSchemas.readOnly()).build();
    }

    @Override
    public McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        ToolArgs args = new ToolArgs(request.arguments());
        int limit = Math.max(1, Math.min(GetSessionTool.MAX_LIMIT, args.integer("message_limit", DEFAULT_LIMIT)));
        SessionLookup.Target t = lookup.instance(args.requiredString("instance"));
        SessionInfo s = SessionMatcher.mostRecent(t.api().list());
        Map<String, Object> out = ToolResults.object();
        out.put("instance", t.name());
        if (s == null) {
            out.put("messages", List.of());
            return ToolResults.success("No sessions on **" + t.name() + "** yet. `send` a message to start one.", out);
        }
        Conversation conversation = Conversation.of(t.api().messages(s.id(), limit));
        InstanceActivity activity = InstanceActivity.of(t, List.of(s));
        boolean idle = activity.statusOf(s.id()).idle();
        StringBuilder md = new StringBuilder("**").append(t.name()).append("** — \"")
                .append(s.title() == null ? "(untitled)" : Markdown.cell(s.title())).append("\" (")
                .append(idle ? "idle" : "busy").append("), session ").append(Markdown.code(s.id()))
                .append("\n\n").append(conversation.markdown());
        out.put("session", SessionRows.structured(s, s.id().length(), activity));
        out.put("messages", conversation.structured());
        return ToolResults.success(md.toString(), out);
    }
}
