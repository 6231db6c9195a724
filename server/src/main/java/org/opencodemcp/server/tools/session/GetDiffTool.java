package org.opencodemcp.server.tools.session;

import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.opencodemcp.server.opencode.FileDiff;
import org.opencodemcp.server.opencode.SessionInfo;
import org.opencodemcp.server.opencode.SessionMessage;
import org.opencodemcp.server.tools.Markdown;
import org.opencodemcp.server.tools.McpTool;
import org.opencodemcp.server.tools.ToolArgs;
import org.opencodemcp.server.tools.ToolResults;

/**
 * {@code get_diff}: the file changes of a session's recent turns. OpenCode keys diffs by the turn's user
 * message (the session-level call answers {@code []} even after files changed), so the changes are gathered turn by turn.
 */
final class GetDiffTool implements McpTool {
    static final int MESSAGES_SCANNED = 60;
    static final int PATCH_CHARS_PER_FILE = 8_000;
    static final int PATCH_CHARS_TOTAL = 40_000;
    private final SessionLookup lookup;

    GetDiffTool(SessionLookup lookup) {
        this.lookup = lookup;
    }

    @Override
    public McpSchema.Tool definition() {
        return SessionSchemas.tool("get_diff", "File changes of a session",
                        "Show the files a session changed in its recent turns: file, status, additions, deletions and the "
                                + "patch (cut to " + PATCH_CHARS_PER_FILE + " characters per file, " + PATCH_CHARS_TOTAL + " in all).",
                        SessionSchemas.input(SessionLookup.SESSION_PROPERTY, "session"),
                        "{\"type\":\"object\",\"required\":[\"instance\",\"sessionId\",\"files\"],\"properties\":{"
                                + "\"instance\":{\"type\":\"string\"},\"sessionId\":{\"type\":\"string\"},"
                                + "\"truncated\":{\"type\":\"boolean\"},"
                                + "\"files\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":[\"file\"],"
                                + "\"properties\":{\"file\":{\"type\":\"string\"},\"turn\":{\"type\":\"string\"},"
                                + "\"status\":{\"type\":\"string\"},\"additions\":{\"type\":\"integer\"},"
                                + "\"deletions\":{\"type\":\"integer\"},\"patch\":{\"type\":\"string\"},"
                                + "\"patchTruncated\":{\"type\":\"boolean\"}}}}}}")
                .annotations(SessionSchemas.readOnly()).build();
    }

    @Override
    public McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        ToolArgs args = new ToolArgs(request.arguments());
        SessionLookup.Target t = lookup.session(args.requiredString("instance"), args.requiredString("session"));
        SessionInfo s = t.session();
        List<Map<String, Object>> files = new ArrayList<>();
        int budget = PATCH_CHARS_TOTAL;
        boolean truncated = false;
        for (SessionMessage m : t.api().messages(s.id(), MESSAGES_SCANNED)) {
            if (!m.info().user()) {
                continue;
            }
            String turn = m.info().id();
            List<FileDiff> diffs = m.diffs();
            if (diffs == null) {
                diffs = t.api().diff(s.id(), turn);
            }
            for (FileDiff d : diffs) {
                Map<String, Object> f = ToolResults.object();
                f.put("file", d.file() == null ? "?" : d.file());
                f.put("turn", turn);
                f.put("status", d.status());
                f.put("additions", d.additions());
                f.put("deletions", d.deletions());
                String patch = d.patch();
                int allowed = Math.min(PATCH_CHARS_PER_FILE, budget);
                if (patch.length() > allowed) {
                    patch = patch.substring(0, Math.max(0, allowed));
                    f.put("patchTruncated", true);
                    truncated = true;
                }
                budget -= patch.length();
                f.put("patch", patch);
                files.add(f);
            }
        }
        StringBuilder md = new StringBuilder();
        if (files.isEmpty()) {
            md.append("Session ").append(Markdown.code(s.id())).append(" on **").append(t.name())
                    .append("** changed no files in its last ").append(MESSAGES_SCANNED).append(" messages.");
        } else {
            md.append("Files changed by session ").append(Markdown.code(s.id())).append(" (")
                    .append(Markdown.cell(s.title())).append(") on **").append(t.name()).append("**:\n\n");
            md.append("| File | Status | + | - |\n|---|---|---|---|\n");
            files.forEach(f -> md.append("| ").append(Markdown.cell(f.get("file"))).append(" | ").append(Markdown.cell(f.get("status")))
                    .append(" | ").append(f.get("additions")).append(" | ").append(f.get("deletions")).append(" |\n"));
            for (Map<String, Object> f : files) {
                String patch = (String) f.get("patch");
                if (!patch.isEmpty()) {
                    md.append("\n```diff\n").append(patch.replace("```", "'''")).append(patch.endsWith("\n") ? "" : "\n")
                            .append(Boolean.TRUE.equals(f.get("patchTruncated")) ? "... (cut)\n" : "").append("```\n");
                }
            }
        }
        Map<String, Object> out = ToolResults.object();
        out.put("instance", t.name());
        out.put("sessionId", s.id());
        out.put("truncated", truncated);
        out.put("files", files);
        return ToolResults.success(md.toString().stripTrailing(), out);
    }
}
