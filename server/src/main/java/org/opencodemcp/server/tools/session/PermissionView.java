package org.opencodemcp.server.tools.session;

import java.util.Map;
import org.opencodemcp.server.opencode.Permission;
import org.opencodemcp.server.tools.ToolResults;

/** A pending permission request for the assistant. */
final class PermissionView {
    private PermissionView() {}

    static Map<String, Object> structured(Permission p) {
        Map<String, Object> m = ToolResults.object();
        m.put("id", p.id());
        m.put("sessionId", p.sessionId());
        m.put("permission", p.permission());
        m.put("patterns", p.patterns());
        m.put("always", p.always());
        m.put("callId", p.callId());
        m.put("messageId", p.messageId());
        return m;
    }

    /** What is asked, without the reply call. */
    static String what(Permission p) {
        return "permission `" + (p.permission() == null ? "?" : p.permission()) + "`"
                + (p.patterns().isEmpty() ? "" : " for " + String.join(", ", p.patterns().stream().map(s -> "`" + s + "`").toList()))
                + " (id `" + p.id() + "`)";
    }

    /** The exact reply call. */
    static String replyCall(Permission p, String instanceName) {
        return "reply_permission {\"instance\":\"" + instanceName + "\",\"permission_id\":\"" + p.id() + "\",\"reply\":\"once\"}";
    }

    /** One line: what is asked, and the exact reply call. */
    static String line(Permission p, String instanceName) {
        return what(p) + ": answer with `" + replyCall(p, instanceName) + "` (or \"always\", \"reject\")";
    }
}
