package org.opencodemcp.server.tools.session;

import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.opencodemcp.server.opencode.SessionInfo;
import org.opencodemcp.contract.SafeText;
import org.opencodemcp.server.opencode.Todo;
import org.opencodemcp.server.tools.Markdown;
import org.opencodemcp.server.tools.McpTool;
import org.opencodemcp.server.tools.Paging;
import org.opencodemcp.server.tools.Times;
import org.opencodemcp.server.tools.ToolArgs;
import org.opencodemcp.server.tools.ToolResults;

/** {@code list_sessions}: the instance's sessions, newest first, with live status and what each waits on. */
final class ListSessionsTool implements McpTool {
    static final int DEFAULT_LIMIT = 20;
    /** Most recently updated first; the id breaks ties so that the cursor's order is strict. */
    private static final Comparator<SessionInfo> NEWEST_FIRST =
            Comparator.comparingLong(SessionInfo::updated).reversed().thenComparing(SessionInfo::id);
    private final SessionLookup lookup;

    ListSessionsTool(SessionLookup lookup) {
        this.lookup = lookup;
    }

    @Override
    public McpSchema.Tool definition() {
        return SessionSchemas.tool("list_sessions", "List sessions of an instance",
                        "List the OpenCode sessions of an instance, most recently updated first, " + DEFAULT_LIMIT
                                + " per page: id (shortest unique prefix shown), title, directory, last update, status "
                                + "(idle/busy/retry), any permission request or question it waits on, agent, model, tokens, cost and todo "
                                + "progress. query keeps sessions whose "
                                + "title, id or directory contains it (any case); nextCursor as cursor gives the next page.",
                        SessionSchemas.input("\"query\":{\"type\":\"string\",\"description\":\"only sessions whose title, id or"
                                + " directory contains this (any case)\"},\"limit\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":"
                                + Paging.MAX_LIMIT + ",\"default\":" + DEFAULT_LIMIT + "},\"cursor\":{\"type\":\"string\","
                                + "\"description\":\"nextCursor of the previous answer\"}"),
                        "{\"type\":\"object\",\"required\":[\"instance\",\"sessions\"],\"properties\":{"
                                + "\"instance\":{\"type\":\"string\"},\"total\":{\"type\":\"integer\"},"
                                + "\"matched\":{\"type\":\"integer\"},\"nextCursor\":{\"type\":\"string\"},"
                                + "\"sessions\":{\"type\":\"array\",\"items\":"
                                + SessionSchemas.sessionSummary() + "}}}")
                .annotations(SessionSchemas.readOnly()).build();
    }

    @Override
    public McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        ToolArgs args = new ToolArgs(request.arguments());
        SessionLookup.Target t = lookup.instance(args.requiredString("instance"));
        List<SessionInfo> all = new ArrayList<>(t.api().list());
        all.sort(NEWEST_FIRST);
        String query = args.string("query");
        Paging.Page<SessionInfo> page = Paging.page(all, s -> Paging.contains(query, s.title(), s.id(), s.directory()),
                args.integer("limit", DEFAULT_LIMIT), args.string("cursor"), s -> s.updated() + ":" + s.id(),
                ListSessionsTool::after);
        List<SessionInfo> sessions = page.rows();
        InstanceActivity activity = InstanceActivity.of(t, sessions);
        int len = SessionMatcher.shownIdLength(all); // unique among all, so a shown id can be passed back
        StringBuilder md = new StringBuilder();
        if (all.isEmpty()) {
            md.append("No sessions on **").append(t.name()).append("**. Create one with `create_session`, or `send_message`"
                    + " with session \"new\".");
        } else if (sessions.isEmpty()) {
            md.append("No session of the ").append(all.size()).append(" on **").append(t.name()).append("** matches")
                    .append(query == null ? " after this cursor." : " " + Markdown.code(query) + ".");
        } else {
            md.append("**").append(all.size()).append(" session(s)** on **").append(t.name()).append("**");
            if (query != null && !query.isBlank()) {
                md.append(", ").append(page.matched()).append(" matching ").append(Markdown.code(query));
            }
            md.append(", newest first:\n\n");
            md.append("| ID | Title | Directory | Updated | Status | Waiting on | Agent · model | Todos | Cost |\n|---|---|---|---|---|---|---|---|---|\n");
            for (SessionInfo s : sessions) {
                md.append("| ").append(Markdown.code(SessionMatcher.shortId(s.id(), len)))
                        .append(" | ").append(Markdown.cell(s.title())).append(s.isRoot() ? "" : " (sub-session)")
                        .append(" | ").append(SafeText.markdown(s.directory()))
                        .append(" | ").append(Markdown.cell(Times.isoMillis(s.updated())))
                        .append(" | ").append(SessionRows.statusCell(s.id(), activity))
                        .append(" | ").append(SessionRows.waitingCell(s.id(), activity))
                        .append(" | ").append(SessionRows.agentModelCell(s))
                        .append(" | ").append(Markdown.cell(Todo.progress(activity.todosOf(s.id()))))
                        .append(" | ").append(SessionRows.costCell(s)).append(" |\n");
            }
            if (page.next() != null) {
                md.append("\nShowing ").append(sessions.size()).append(" of ").append(page.matched())
                        .append(". Next page: the same call with `\"cursor\":\"").append(page.next()).append("\"`.");
            }
        }
        Map<String, Object> out = ToolResults.object();
        out.put("instance", t.name());
        out.put("total", all.size());
        out.put("matched", page.matched());
        out.put("nextCursor", page.next());
        out.put("sessions", sessions.stream().map(s -> SessionRows.structured(s, len, activity)).toList());
        return ToolResults.success(md.toString().stripTrailing(), out);
    }

    /** True when the session comes after the cursor key {@code updated:id} in newest-first order. */
    private static boolean after(SessionInfo s, String key) {
        int cut = key.indexOf(':');
        long updated;
        try {
            updated = Long.parseLong(key.substring(0, Math.max(0, cut)));
        } catch (NumberFormatException e) {
            return true;
        }
        String id = key.substring(cut + 1);
        return s.updated() < updated || s.updated() == updated && s.id().compareTo(id) > 0;
    }
}
