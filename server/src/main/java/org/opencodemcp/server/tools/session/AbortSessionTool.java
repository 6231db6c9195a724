package org.opencodemcp.server.tools.session;

import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;
import org.opencodemcp.server.opencode.SessionInfo;
import org.opencodemcp.server.tools.Markdown;
import org.opencodemcp.server.tools.McpTool;
import org.opencodemcp.server.tools.ToolArgs;
import org.opencodemcp.server.tools.ToolResults;

/** {@code abort_session}: stop the running turn of a session. */
final class AbortSessionTool implements McpTool {
    private final SessionLookup lookup;

    AbortSessionTool(SessionLookup lookup) {
        this.lookup = lookup;
    }

    @Override
    public McpSchema.Tool definition() {
        return SessionSchemas.tool("abort_session", "Abort a session's turn",
                        "Stop what a session is doing (the running turn and prompts queued behind it). The partial reply "
                                + "stays in the history.",
                        SessionSchemas.input(SessionLookup.SESSION_PROPERTY, "session"),
                        "{\"type\":\"object\",\"required\":[\"instance\",\"sessionId\",\"wasRunning\"],\"properties\":{"
                                + "\"instance\":{\"type\":\"string\"},\"sessionId\":{\"type\":\"string\"},"
                                + "\"title\":{\"type\":\"string\"},\"wasRunning\":{\"type\":\"boolean\"}}}")
                .annotations(SessionSchemas.acting(true)).build();
    }

    @Override
    public McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        ToolArgs args = new ToolArgs(request.arguments());
        SessionLookup.Target t = lookup.session(args.requiredString("instance"), args.requiredString("session"));
        SessionInfo s = t.session();
        // abort answers true even when nothing ran, so report what the status said before
        boolean running = !InstanceActivity.of(t, java.util.List.of(s)).statusOf(s.id()).idle();
        t.api().abort(s.id());
        String md = (running ? "Aborted the running turn of session " : "Session was idle; sent abort anyway to session ")
                + Markdown.code(s.id()) + " (" + Markdown.cell(s.title()) + ") on **" + t.name() + "**."
                + " Check with `get_session`.";
        Map<String, Object> out = ToolResults.object();
        out.put("instance", t.name());
        out.put("sessionId", s.id());
        out.put("title", s.title());
        out.put("wasRunning", running);
        return ToolResults.success(md, out);
    }
}
