package org.opencodemcp.server.tools.session;

import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import org.opencodemcp.server.opencode.OpenCodeException;
import org.opencodemcp.server.opencode.SessionInfo;
import org.opencodemcp.contract.SafeText;
import org.opencodemcp.server.opencode.Todo;
import org.opencodemcp.server.tools.Markdown;
import org.opencodemcp.server.tools.McpTool;
import org.opencodemcp.server.tools.Times;
import org.opencodemcp.server.tools.ToolArgs;
import org.opencodemcp.server.tools.ToolResults;

/** {@code get_session}: a session's details and its recent conversation, rendered for a reader. */
final class GetSessionTool implements McpTool {
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 200;
    private final SessionLookup lookup;

    GetSessionTool(SessionLookup lookup) {
        this.lookup = lookup;
    }

    @Override
    public McpSchema.Tool definition() {
        return SessionSchemas.tool("get_session", "Read a session",
                        "Show a session's details and its last messages: role, time (ISO UTC), text, reasoning summary, "
                                + "each tool call with status and input, errors, tokens and cost. Use it to follow up on a "
                                + "send_message that is still running.",
                        SessionSchemas.input(SessionLookup.SESSION_PROPERTY
                                + ",\"message_limit\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":" + MAX_LIMIT
                                + ",\"default\":" + DEFAULT_LIMIT + ",\"description\":\"How many of the newest messages to show\"}",
                                "session"),
                        "{\"type\":\"object\",\"required\":[\"instance\",\"session\",\"messages\"],\"properties\":{"
                                + "\"instance\":{\"type\":\"string\"},\"session\":" + SessionSchemas.sessionSummary()
                                + ",\"messages\":{\"type\":\"array\",\"items\":" + SessionSchemas.MESSAGE + "}}}")
                .annotations(SessionSchemas.readOnly()).build();
    }

    @Override
    public McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        ToolArgs args = new ToolArgs(request.arguments());
        int limit = Math.max(1, Math.min(MAX_LIMIT, args.integer("message_limit", DEFAULT_LIMIT)));
        SessionLookup.Target t = lookup.session(args.requiredString("instance"), args.requiredString("session"));
        SessionInfo s = t.session();
        Conversation conversation = Conversation.of(t.api().messages(s.id(), limit));
        InstanceActivity activity = InstanceActivity.of(t, java.util.List.of(s));

        StringBuilder md = new StringBuilder("## Session: ").append(s.title() == null ? "(untitled)" : s.title()).append("\n\n");
        md.append("- **Instance:** ").append(t.name()).append('\n');
        md.append("- **ID:** ").append(Markdown.code(s.id())).append('\n');
        md.append("- **Directory:** ").append(SafeText.markdown(s.directory())).append('\n');
        md.append("- **Created:** ").append(Markdown.cell(Times.isoMillis(s.created())))
                .append(" · **Updated:** ").append(Markdown.cell(Times.isoMillis(s.updated()))).append('\n');
        md.append("- **Status:** ").append(SessionRows.statusCell(s.id(), activity)).append('\n');
        md.append("- **Agent:** ").append(Markdown.cell(s.agent())).append(" · **Model:** ")
                .append(Markdown.cell(s.model() == null ? null : s.model().toString())).append('\n');
        if (s.tokens() != null || s.cost() != null) {
            md.append("- **Usage:** ").append(s.tokens() == null ? "-" : "tokens " + TokenView.line(s.tokens()))
                    .append(s.cost() == null ? "" : String.format(java.util.Locale.ROOT, ", cost $%.6f", s.cost())).append('\n');
        }
        activity.permissionsOf(s.id()).values().forEach(p ->
                md.append("- **Waiting on** ").append(PermissionView.line(p, t.name())).append('\n'));
        activity.questionsOf(s.id()).values().forEach(q ->
                md.append("- **Waiting on** question ").append(Markdown.code(q.id())).append(":\n")
                        .append(QuestionView.markdown(q, t.name()).indent(2)));
        List<Todo> todos = todos(t, s, activity);
        if (!todos.isEmpty()) {
            md.append("\n### Todos (").append(Todo.progress(todos)).append(")\n\n");
            todos.forEach(td -> md.append("- [").append(td.done() ? "x" : " ").append("] ").append(Markdown.cell(td.content()))
                    .append(" (").append(Markdown.cell(td.status())).append(td.priority() == null ? "" : ", " + td.priority())
                    .append(")\n"));
        }
        md.append("\n### Messages (last ").append(conversation.messages().size()).append(")\n\n");
        md.append(conversation.markdown());

        Map<String, Object> out = ToolResults.object();
        out.put("instance", t.name());
        Map<String, Object> session = SessionRows.structured(s, s.id().length(), activity);
        session.put("todoProgress", Todo.progress(todos));
        session.put("todos", todos.stream().map(td -> {
            Map<String, Object> m = ToolResults.object();
            m.put("content", td.content());
            m.put("status", td.status());
            m.put("priority", td.priority());
            return m;
        }).toList());
        out.put("session", session);
        out.put("messages", conversation.structured());
        return ToolResults.success(md.toString(), out);
    }

    /** The server's list; the one the event stream saw when the release has no todo route. */
    private static List<Todo> todos(SessionLookup.Target t, SessionInfo s, InstanceActivity activity) {
        try {
            return t.api().todos(s.id());
        } catch (OpenCodeException e) {
            if (e.kind() == OpenCodeException.Kind.UNREACHABLE) {
                throw e;
            }
            return activity.todosOf(s.id());
        }
    }
}
