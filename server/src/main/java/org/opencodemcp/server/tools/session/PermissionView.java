package org.opencodemcp.server.tools.session;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.opencodemcp.server.tools.ToolResults;

/** A pending permission request ({@code permission.asked} / {@code GET /permission} item) for the assistant. */
final class PermissionView {
    private PermissionView() {}

    static Map<String, Object> structured(JsonNode p) {
        Map<String, Object> m = ToolResults.object();
        m.put("id", p.path("id").asText());
        m.put("sessionId", textOrNull(p, "sessionID"));
        m.put("permission", textOrNull(p, "permission"));
        m.put("patterns", strings(p.path("patterns")));
        m.put("always", strings(p.path("always")));
        m.put("callId", textOrNull(p.path("tool"), "callID"));
        m.put("messageId", textOrNull(p.path("tool"), "messageID"));
        return m;
    }

    /** One line: what is asked, and the exact reply call. */
    static String line(JsonNode p, String instanceName) {
        String id = p.path("id").asText();
        List<String> patterns = strings(p.path("patterns"));
        return "permission `" + p.path("permission").asText("?") + "`"
                + (patterns.isEmpty() ? "" : " for " + String.join(", ", patterns.stream().map(s -> "`" + s + "`").toList()))
                + " (id `" + id + "`): answer with `reply_permission {\"instance\":\"" + instanceName
                + "\",\"permission_id\":\"" + id + "\",\"reply\":\"once\"}` (or \"always\", \"reject\")";
    }

    static List<String> strings(JsonNode arr) {
        List<String> out = new ArrayList<>();
        if (arr != null && arr.isArray()) {
            arr.forEach(v -> out.add(v.asText()));
        }
        return out;
    }

    private static String textOrNull(JsonNode n, String f) {
        JsonNode v = n.get(f);
        return v == null || v.isNull() ? null : v.asText();
    }
}
