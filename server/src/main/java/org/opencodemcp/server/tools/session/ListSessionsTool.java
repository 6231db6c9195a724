package org.opencodemcp.server.tools.session;

import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import org.opencodemcp.server.opencode.SessionInfo;
import org.opencodemcp.server.registry.SafeText;
import org.opencodemcp.server.tools.Markdown;
import org.opencodemcp.server.tools.McpTool;
import org.opencodemcp.server.tools.Times;
import org.opencodemcp.server.tools.ToolArgs;
import org.opencodemcp.server.tools.ToolResults;

/** {@code list_sessions}: the instance's sessions, newest first, with live status and what each waits on. */
final class ListSessionsTool implements McpTool {
    private final SessionLookup lookup;

    ListSessionsTool(SessionLookup lookup) {
        this.lookup = lookup;
    }

    @Override
    public McpSchema.Tool definition() {
        return SessionSchemas.tool("list_sessions", "List sessions of an instance",
                        "List the OpenCode sessions of an instance, most recently updated first: id (shortest unique "
                                + "prefix shown), title, directory, last update, status (idle/busy/retry) and any "
                                + "permission request it waits on.",
                        SessionSchemas.input(""),
                        "{\"type\":\"object\",\"required\":[\"instance\",\"sessions\"],\"properties\":{"
                                + "\"instance\":{\"type\":\"string\"},\"sessions\":{\"type\":\"array\",\"items\":"
                                + SessionSchemas.sessionSummary() + "}}}")
                .annotations(SessionSchemas.readOnly()).build();
    }

    @Override
    public McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        SessionLookup.Target t = lookup.instance(new ToolArgs(request.arguments()).requiredString("instance"));
        List<SessionInfo> sessions = t.api().list();
        InstanceActivity activity = InstanceActivity.of(t, sessions);
        int len = SessionMatcher.shownIdLength(sessions);
        StringBuilder md = new StringBuilder();
        if (sessions.isEmpty()) {
            md.append("No sessions on **").append(t.name()).append("**. Create one with `create_session`, or `send_message`"
                    + " with session \"new\".");
        } else {
            md.append("**").append(sessions.size()).append(" session(s)** on **").append(t.name()).append("**, newest first:\n\n");
            md.append("| ID | Title | Directory | Updated | Status | Waiting on |\n|---|---|---|---|---|---|\n");
            for (SessionInfo s : sessions) {
                md.append("| ").append(Markdown.code(SessionMatcher.shortId(s.id(), len)))
                        .append(" | ").append(Markdown.cell(s.title())).append(s.isRoot() ? "" : " (sub-session)")
                        .append(" | ").append(SafeText.markdown(s.directory()))
                        .append(" | ").append(Markdown.cell(Times.isoMillis(s.updated())))
                        .append(" | ").append(SessionRows.statusCell(s.id(), activity))
                        .append(" | ").append(SessionRows.waitingCell(s.id(), activity)).append(" |\n");
            }
        }
        Map<String, Object> out = ToolResults.object();
        out.put("instance", t.name());
        out.put("sessions", sessions.stream().map(s -> SessionRows.structured(s, len, activity)).toList());
        return ToolResults.success(md.toString().stripTrailing(), out);
    }
}
