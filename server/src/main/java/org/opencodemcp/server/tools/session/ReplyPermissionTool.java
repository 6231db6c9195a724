package org.opencodemcp.server.tools.session;

import org.opencodemcp.server.opencode.Permission;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import org.opencodemcp.server.tools.Markdown;
import org.opencodemcp.server.tools.McpTool;
import org.opencodemcp.server.tools.ToolArgs;
import org.opencodemcp.server.tools.ToolError;
import org.opencodemcp.server.tools.ToolResults;

/** {@code reply_permission}: answer a permission request that blocks a turn. */
final class ReplyPermissionTool implements McpTool {
    private static final List<String> REPLIES = List.of("once", "always", "reject");
    private final SessionLookup lookup;

    ReplyPermissionTool(SessionLookup lookup) {
        this.lookup = lookup;
    }

    @Override
    public McpSchema.Tool definition() {
        return SessionSchemas.tool("reply_permission", "Answer a permission request",
                        "Answer a pending permission request (from send_message or get_status): once = allow this call, "
                                + "always = allow the listed patterns from now on, reject = refuse (the turn goes on without it).",
                        SessionSchemas.input("\"permission_id\":{\"type\":\"string\",\"description\":\"The request id (per_...)\"},"
                                + "\"reply\":{\"type\":\"string\",\"enum\":[\"once\",\"always\",\"reject\"]}",
                                "permission_id", "reply"),
                        "{\"type\":\"object\",\"required\":[\"instance\",\"permissionId\",\"reply\"],\"properties\":{"
                                + "\"instance\":{\"type\":\"string\"},\"permissionId\":{\"type\":\"string\"},"
                                + "\"reply\":{\"type\":\"string\"},\"request\":" + SessionSchemas.PERMISSION + "}}")
                .annotations(SessionSchemas.acting(false)).build();
    }

    @Override
    public McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        ToolArgs args = new ToolArgs(request.arguments());
        SessionLookup.Target t = lookup.instance(args.requiredString("instance"));
        String id = args.requiredString("permission_id").trim();
        String reply = args.requiredString("reply").trim();
        if (!REPLIES.contains(reply)) {
            throw new ToolError("reply must be one of once, always, reject.");
        }
        Map<String, Permission> pending = InstanceActivity.of(t).permissions();
        Permission asked = pending.get(id);
        if (asked == null) {
            List<String> ids = List.copyOf(pending.keySet());
            throw new ToolError("No pending permission request " + Markdown.code(id) + " on " + t.name()
                    + (ids.isEmpty() ? "; nothing is waiting for permission (it may have been answered already)."
                    : ". Pending: " + String.join(", ", ids) + "."));
        }
        t.api().replyPermission(id, reply);
        String md = "Replied **" + reply + "** to " + PermissionView.what(asked)
                + " on **" + t.name() + "**. The turn continues; follow it with `get_session` (session "
                + Markdown.code(asked.sessionId() == null ? "?" : asked.sessionId()) + ").";
        Map<String, Object> out = ToolResults.object();
        out.put("instance", t.name());
        out.put("permissionId", id);
        out.put("reply", reply);
        out.put("request", PermissionView.structured(asked));
        return ToolResults.success(md, out);
    }
}
