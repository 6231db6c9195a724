package org.opencodemcp.server.tools.session;

import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.opencodemcp.server.opencode.Permission;
import org.opencodemcp.server.opencode.SessionInfo;
import org.opencodemcp.server.tools.Markdown;
import org.opencodemcp.server.tools.McpTool;
import org.opencodemcp.server.tools.ToolArgs;
import org.opencodemcp.server.tools.ToolResults;

/** {@code get_status}: every session's idle/busy/retry and the permission requests that block turns. */
final class GetStatusTool implements McpTool {
    private final SessionLookup lookup;

    GetStatusTool(SessionLookup lookup) {
        this.lookup = lookup;
    }

    @Override
    public McpSchema.Tool definition() {
        return SessionSchemas.tool("get_status", "Session status of an instance",
                        "Show which sessions of an instance are idle, busy or retrying (attempt, message, next try), "
                                + "and every pending permission request (tool, patterns, id) with how to answer it.",
                        SessionSchemas.input(""),
                        "{\"type\":\"object\",\"required\":[\"instance\",\"sessions\",\"permissions\"],\"properties\":{"
                                + "\"instance\":{\"type\":\"string\"},\"busy\":{\"type\":\"integer\"},"
                                + "\"sessions\":{\"type\":\"array\",\"items\":" + SessionSchemas.sessionSummary() + "},"
                                + "\"permissions\":{\"type\":\"array\",\"items\":" + SessionSchemas.PERMISSION + "}}}")
                .annotations(SessionSchemas.readOnly()).build();
    }

    @Override
    public McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        SessionLookup.Target t = lookup.instance(new ToolArgs(request.arguments()).requiredString("instance"));
        List<SessionInfo> sessions = t.api().list();
        InstanceActivity activity = InstanceActivity.of(t, sessions);
        int len = SessionMatcher.shownIdLength(sessions);
        long busy = sessions.stream().filter(s -> !activity.statusOf(s.id()).idle()).count();

        StringBuilder md = new StringBuilder("Status of sessions on **").append(t.name()).append("**: ")
                .append(busy == 0 ? "all idle" : busy + " not idle").append(".\n");
        if (!sessions.isEmpty()) {
            md.append("\n| ID | Title | Status | Waiting on |\n|---|---|---|---|\n");
            for (SessionInfo s : sessions) {
                md.append("| ").append(Markdown.code(SessionMatcher.shortId(s.id(), len)))
                        .append(" | ").append(Markdown.cell(s.title()))
                        .append(" | ").append(SessionRows.statusCell(s.id(), activity))
                        .append(" | ").append(SessionRows.waitingCell(s.id(), activity)).append(" |\n");
            }
        }
        List<Map<String, Object>> perms = new ArrayList<>();
        if (!activity.permissions().isEmpty()) {
            md.append("\nPending permission requests:\n");
            for (Permission p : activity.permissions().values()) {
                md.append("- session ").append(Markdown.code(p.sessionId() == null ? "?" : p.sessionId())).append(": ")
                        .append(PermissionView.line(p, t.name())).append('\n');
                perms.add(PermissionView.structured(p));
            }
        }
        Map<String, Object> out = ToolResults.object();
        out.put("instance", t.name());
        out.put("busy", (int) busy);
        out.put("sessions", sessions.stream().map(s -> SessionRows.structured(s, len, activity)).toList());
        out.put("permissions", perms);
        return ToolResults.success(md.toString().stripTrailing(), out);
    }
}
