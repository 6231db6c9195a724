package org.opencodemcp.server.tools.session;

import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opencodemcp.server.instance.Pending;
import org.opencodemcp.server.opencode.OpenCodeException;
import org.opencodemcp.server.opencode.Question;
import org.opencodemcp.server.tools.Markdown;
import org.opencodemcp.server.tools.McpTool;
import org.opencodemcp.server.tools.ToolArgs;
import org.opencodemcp.server.tools.ToolError;
import org.opencodemcp.server.tools.ToolResults;

/** {@code reply_question}: answers (or dismisses) a question an agent asked with OpenCode's {@code question} tool. */
final class ReplyQuestionTool implements McpTool {
    private final SessionLookup lookup;

    ReplyQuestionTool(SessionLookup lookup) {
        this.lookup = lookup;
    }

    @Override
    public McpSchema.Tool definition() {
        return SessionSchemas.tool("reply_question", "Answer an agent's question",
                        "Answer a pending question (from send_message or fleet_status): answers has one list per question "
                                + "asked, holding the chosen option labels or your own text, e.g. [[\"Red\"],[\"S\",\"L\"]]. "
                                + "reject=true dismisses the question instead, which ends the agent's turn.",
                        SessionSchemas.input("\"question_id\":{\"type\":\"string\",\"description\":\"The question id (que_...)\"},"
                                + "\"answers\":{\"type\":\"array\",\"items\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
                                + "\"description\":\"One list of chosen labels (or free text) per question, in order\"},"
                                + "\"reject\":{\"type\":\"boolean\",\"default\":false,\"description\":\"Dismiss the question\"}",
                                "question_id"),
                        "{\"type\":\"object\",\"required\":[\"instance\",\"questionId\",\"rejected\"],\"properties\":{"
                                + "\"instance\":{\"type\":\"string\"},\"questionId\":{\"type\":\"string\"},"
                                + "\"sessionId\":{\"type\":\"string\"},\"rejected\":{\"type\":\"boolean\"},"
                                + "\"answers\":{\"type\":\"array\",\"items\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}},"
                                + "\"followUp\":{\"type\":\"string\"},\"question\":" + SessionSchemas.QUESTION + "}}")
                .annotations(SessionSchemas.acting(false)).build();
    }

    @Override
    public McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        ToolArgs args = new ToolArgs(request.arguments());
        SessionLookup.Target t = lookup.instance(args.requiredString("instance"));
        String id = args.requiredString("question_id").trim();
        boolean reject = args.bool("reject", false);
        Object rawAnswers = request.arguments() == null ? null : request.arguments().get("answers");
        if (reject == (rawAnswers != null)) {
            throw new ToolError("Give either `answers` (one list of labels per question) or `reject: true`, not "
                    + (reject ? "both." : "neither."));
        }
        Map<String, Question> pending = pending(t);
        Question q = pending.get(id);
        if (q == null) {
            throw new ToolError(notPending(id, t.name(), pending));
        }
        List<List<String>> answers = reject ? null : answers(rawAnswers, q, t.name());
        try {
            if (reject) {
                t.api().rejectQuestion(id);
            } else {
                t.api().replyQuestion(id, answers);
            }
        } catch (OpenCodeException e) {
            if (e.kind() == OpenCodeException.Kind.NOT_FOUND) {
                throw new ToolError("Question " + Markdown.code(id) + " on " + t.name() + " is no longer pending (answered "
                        + "or dismissed meanwhile, or its session ended). See the turn with `get_session {\"instance\":\""
                        + t.name() + "\",\"session\":\"" + q.sessionId() + "\"}`.");
            }
            throw e;
        }
        String follow = "get_session {\"instance\":\"" + t.name() + "\",\"session\":\"" + q.sessionId() + "\"}";
        String md = (reject ? "Dismissed question " + Markdown.code(id) + " on **" + t.name() + "**; the agent's turn ends there."
                : "Answered question " + Markdown.code(id) + " on **" + t.name() + "** with " + Markdown.code(String.valueOf(answers))
                        + "; the turn goes on.")
                + " Follow it with " + Markdown.code(follow) + " (or `fleet_status`).";
        Map<String, Object> out = ToolResults.object();
        out.put("instance", t.name());
        out.put("questionId", id);
        out.put("sessionId", q.sessionId());
        out.put("rejected", reject);
        out.put("answers", answers);
        out.put("followUp", follow);
        out.put("question", QuestionView.structured(q));
        return ToolResults.success(md, out);
    }

    /** The server's list (authoritative) merged with what the event stream saw, in the order asked. */
    private static Map<String, Question> pending(SessionLookup.Target t) {
        Map<String, Question> out = new LinkedHashMap<>();
        for (Pending<Question> p : t.instance().activity().questions()) {
            out.put(p.request().id(), p.request());
        }
        try {
            Map<String, Question> fresh = new LinkedHashMap<>();
            t.api().questions().forEach(q -> fresh.put(q.id(), q));
            // the server forgets answered ones at once; the stream may lag, so its list wins where it answered
            out.keySet().retainAll(fresh.keySet());
            out.putAll(fresh);
        } catch (OpenCodeException e) {
            if (e.kind() == OpenCodeException.Kind.UNREACHABLE) {
                throw e;
            }
        }
        return out;
    }

    private static String notPending(String id, String instance, Map<String, Question> pending) {
        if (pending.isEmpty()) {
            return "No pending question " + Markdown.code(id) + " on " + instance + "; no question waits there (it may have "
                    + "been answered already). See `fleet_status` for everything that waits.";
        }
        StringBuilder sb = new StringBuilder("No pending question ").append(Markdown.code(id)).append(" on ").append(instance)
                .append(". Pending there:");
        pending.values().forEach(q -> sb.append("\n- ").append(Markdown.code(q.id())).append(" (session ")
                .append(Markdown.code(q.sessionId())).append("): answer with ").append(Markdown.code(QuestionView.replyCall(q, instance))));
        return sb.toString();
    }

    /** One list per question; a bare string stands for a one-element list. */
    private static List<List<String>> answers(Object raw, Question q, String instance) {
        if (!(raw instanceof List<?> list)) {
            throw new ToolError("`answers` must be a list with one list of labels per question, e.g. "
                    + Markdown.code(QuestionView.replyCall(q, instance)) + ".");
        }
        List<List<String>> out = new ArrayList<>();
        for (Object a : list) {
            if (a instanceof List<?> labels) {
                List<String> one = new ArrayList<>();
                labels.forEach(l -> one.add(String.valueOf(l)));
                out.add(one);
            } else if (a != null) {
                out.add(List.of(a.toString()));
            }
        }
        if (out.size() != q.questions().size() || out.stream().anyMatch(List::isEmpty)) {
            throw new ToolError("Question " + Markdown.code(q.id()) + " asks " + q.questions().size() + " question(s), so `answers` needs "
                    + q.questions().size() + " non-empty list(s), got " + out.size() + ". The questions:\n"
                    + QuestionView.markdown(q, instance));
        }
        return out;
    }
}
