package org.opencodemcp.server.tools.session;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.opencodemcp.server.opencode.SessionInfo;
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
        if (activity != null) {
            m.put("status", activity.statusOf(s.id()));
            JsonNode raw = activity.rawStatus(s.id());
            if (raw != null && "retry".equals(raw.path("type").asText())) {
                Map<String, Object> r = ToolResults.object();
                r.put("attempt", raw.path("attempt").asInt());
                r.put("message", raw.path("message").asText(null));
                r.put("next", Times.isoMillis(raw.path("next").asLong(0)));
                m.put("retry", r);
            }
            List<Map<String, Object>> waiting = new ArrayList<>();
            activity.permissionsOf(s.id()).values().forEach(p -> waiting.add(PermissionView.structured(p)));
            m.put("waitingOn", waiting);
        }
        return m;
    }

    /** Status cell: idle, busy, or retry with attempt, message and next try. */
    static String statusCell(String sessionId, InstanceActivity activity) {
        JsonNode raw = activity.rawStatus(sessionId);
        String status = activity.statusOf(sessionId);
        if ("retry".equals(status) && raw != null) {
            return "retry #" + raw.path("attempt").asInt() + " (" + Markdown.cell(raw.path("message").asText(""))
                    + "; next " + Times.isoMillis(raw.path("next").asLong(0)) + ")";
        }
        return status;
    }

    static String waitingCell(String sessionId, InstanceActivity activity) {
        List<String> w = new ArrayList<>();
        activity.permissionsOf(sessionId).values().forEach(p -> w.add("permission " + p.path("permission").asText("?")
                + " " + String.join(",", PermissionView.strings(p.path("patterns"))) + " (" + p.path("id").asText() + ")"));
        return w.isEmpty() ? "-" : Markdown.cell(String.join("; ", w));
    }
}
