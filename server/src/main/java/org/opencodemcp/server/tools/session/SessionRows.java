package org.opencodemcp.server.tools.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.opencodemcp.server.opencode.SessionInfo;
import org.opencodemcp.server.opencode.SessionStatus;
import org.opencodemcp.server.opencode.Todo;
import org.opencodemcp.server.tools.Markdown;
import org.opencodemcp.server.tools.Times;
import org.opencodemcp.server.tools.ToolResults;

/** One session as a table row and as the structured summary used by list_sessions and get_status. */
final class SessionRows {
    private SessionRows() {}

    static Map<String, Object> structured(SessionInfo s, int idLength, InstanceActivity activity) {
        Map<String, Object> m = ToolResults.object();
        m.put("id", s.id());
        m.put("shortId", SessionMatcher.shortId(s.id(), idLength));
        m.put("title", s.title());
        m.put("directory", s.directory());
        m.put("parentId", s.parentId());
        m.put("created", Times.isoMillis(s.created()));
        m.put("updated", Times.isoMillis(s.updated()));
        m.put("agent", s.agent());
        m.put("model", s.model() == null ? null : s.model().toString());
        m.put("tokens", s.tokens() == null ? null : TokenView.structured(s.tokens()));
        m.put("cost", s.cost());
        if (activity != null) {
            SessionStatus status = activity.statusOf(s.id());
            m.put("status", status.type());
            if (status.retrying()) {
                Map<String, Object> r = ToolResults.object();
                r.put("attempt", status.attempt());
                r.put("message", status.message());
                r.put("next", Times.isoMillis(status.next()));
                m.put("retry", r);
            }
            List<Map<String, Object>> waiting = new ArrayList<>();
            activity.permissionsOf(s.id()).values().forEach(p -> waiting.add(PermissionView.structured(p)));
            m.put("waitingOn", waiting);
            List<Map<String, Object>> asked = new ArrayList<>();
            activity.questionsOf(s.id()).values().forEach(q -> asked.add(QuestionView.structured(q)));
            m.put("questions", asked);
            m.put("todoProgress", Todo.progress(activity.todosOf(s.id())));
        }
        return m;
    }

    /** Status cell: idle, busy, or retry with attempt, message and next try. */
    static String statusCell(String sessionId, InstanceActivity activity) {
        return statusText(activity.statusOf(sessionId));
    }

    static String statusText(SessionStatus status) {
        if (status.retrying()) {
            return "retry #" + status.attempt() + " (" + Markdown.cell(status.message() == null ? "" : status.message())
                    + "; next " + Times.isoMillis(status.next()) + ")";
        }
        return status.type();
    }

    static String agentModelCell(SessionInfo s) {
        return Markdown.cell((s.agent() == null ? "-" : s.agent()) + " · " + (s.model() == null ? "-" : s.model().toString()));
    }

    static String costCell(SessionInfo s) {
        return s.cost() == null ? "-" : String.format(java.util.Locale.ROOT, "$%.6f", s.cost());
    }

    static String waitingCell(String sessionId, InstanceActivity activity) {
        List<String> w = new ArrayList<>();
        activity.permissionsOf(sessionId).values().forEach(p -> w.add("permission " + p.permission()
                + " " + String.join(",", p.patterns()) + " (" + p.id() + ")"));
        activity.questionsOf(sessionId).values().forEach(q -> w.add("question (" + q.id() + ")"));
        return w.isEmpty() ? "-" : Markdown.cell(String.join("; ", w));
    }
}
