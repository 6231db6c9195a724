package org.opencodemcp.server.tools.session;

import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.opencodemcp.server.opencode.SessionInfo;
import org.opencodemcp.server.tools.McpTool;
import org.opencodemcp.server.tools.ToolArgs;
import org.opencodemcp.server.tools.ToolError;
import org.opencodemcp.server.tools.ToolResults;

/**
 * {@code send} (simple profile, as in the original server): a message to the instance's most recently
 * updated session, or {@code abort=true} to stop what runs there. Picks the session and hands over to
 * {@link SendMessageTool#deliver}: the same subscribe-first send, progress, bounded wait and early
 * return as {@code send_message}.
 */
final class SimpleSendTool implements McpTool {
    private final SessionLookup lookup;
    private final int waitSeconds;
    private final org.opencodemcp.server.jobs.JobLedger jobs;

    SimpleSendTool(SessionLookup lookup, java.time.Duration defaultWait, org.opencodemcp.server.jobs.JobLedger jobs) {
        this.lookup = lookup;
        this.jobs = jobs;
        this.waitSeconds = (int) Math.max(1, Math.min(SendMessageTool.MAX_WAIT_SECONDS, defaultWait.toSeconds()));
    }

    static final String OUTPUT = SendMessageTool.OUTPUT
            .replace("\"required\":[\"instance\",\"sessionId\",\"state\"]", "\"required\":[\"instance\",\"state\"]")
            .replace("\"stream_lost\"]", "\"stream_lost\",\"busy\",\"aborted\",\"nothing_to_abort\"]")
            .replace("\"followUp\":", "\"aborted\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},\"followUp\":");

    @Override
    public McpSchema.Tool definition() {
        return SessionSchemas.tool("send", "Send a message to an instance",
                        "Send a message to the most recently updated OpenCode session on an instance (a new session is "
                                + "created when it has none) and wait for the reply, streamed as progress. After "
                                + waitSeconds + " s it answers \"still running\" (read the rest later with `read`); a "
                                + "permission request or a question ends the wait at once. If the instance is busy the "
                                + "message is not sent. abort=true stops whatever runs there instead. Cancelling this call "
                                + "only stops the waiting: the agent's turn goes on.",
                        SessionSchemas.input("\"message\":{\"type\":\"string\",\"description\":\"The message (not needed with abort)\"}"
                                + ",\"abort\":{\"type\":\"boolean\",\"default\":false,\"description\":\"Stop the running task instead of sending\"}"),
                        OUTPUT)
                .annotations(SessionSchemas.acting(false)).build();
    }

    @Override
    public McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        ToolArgs args = new ToolArgs(request.arguments());
        String message = args.string("message");
        boolean abort = args.bool("abort", false);
        if (!abort && (message == null || message.isBlank())) {
            throw new ToolError("`message` is required unless `abort` is true.");
        }
        SessionLookup.Target t = lookup.instance(args.requiredString("instance"));
        InstanceActivity activity = InstanceActivity.of(t);
        if (abort) {
            return abort(t, activity);
        }
        if (!activity.statuses().isEmpty()) {
            Map<String, Object> out = ToolResults.object();
            out.put("instance", t.name());
            out.put("state", "busy");
            return ToolResults.success("**" + t.name() + "** is busy with a task, so the message was not sent. Wait for it"
                    + " (see it with `read {\"instance\":\"" + t.name() + "\"}`), or stop it with `send {\"instance\":\""
                    + t.name() + "\",\"abort\":true}` and send again.", out);
        }
        SessionInfo s = SessionMatcher.mostRecent(t.api().list());
        boolean created = false;
        if (s == null) {
            s = t.api().create(null, null, null);
            created = true;
        }
        return SendMessageTool.deliver(exchange, request.progressToken(), t, s, created, message, false, null, null,
                waitSeconds, true, jobs);
    }

    private static McpSchema.CallToolResult abort(SessionLookup.Target t, InstanceActivity activity) {
        List<String> aborted = new ArrayList<>(activity.statuses().keySet());
        Map<String, Object> out = ToolResults.object();
        out.put("instance", t.name());
        if (aborted.isEmpty()) {
            out.put("state", "nothing_to_abort");
            return ToolResults.success("Nothing runs on **" + t.name() + "**: nothing to abort.", out);
        }
        for (String id : aborted) {
            t.api().abort(id);
        }
        out.put("state", "aborted");
        out.put("aborted", aborted);
        return ToolResults.success("Aborted the running task on **" + t.name() + "** (session"
                + (aborted.size() == 1 ? " " : "s ") + String.join(", ", aborted.stream().map(id -> "`" + id + "`").toList())
                + "). What it wrote so far stays in the history: `read {\"instance\":\"" + t.name() + "\"}`.", out);
    }
}
