package org.opencodemcp.server.tools.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.opencodemcp.server.opencode.Question;
import org.opencodemcp.server.tools.Markdown;
import org.opencodemcp.server.tools.ToolResults;

/** A pending question of the {@code question} tool for the assistant: the questions, their options and the reply call. */
final class QuestionView {
    private QuestionView() {}

    static Map<String, Object> structured(Question q) {
        Map<String, Object> m = ToolResults.object();
        m.put("id", q.id());
        m.put("sessionId", q.sessionId());
        List<Map<String, Object>> items = new ArrayList<>();
        for (Question.Item i : q.questions()) {
            Map<String, Object> item = ToolResults.object();
            item.put("question", i.question());
            item.put("header", i.header());
            item.put("multiple", i.multiple() ? Boolean.TRUE : null);
            item.put("options", i.options().stream().map(o -> {
                Map<String, Object> om = ToolResults.object();
                om.put("label", o.label());
                om.put("description", o.description());
                return om;
            }).toList());
            items.add(item);
        }
        m.put("questions", items);
        m.put("callId", q.callId());
        m.put("messageId", q.messageId());
        return m;
    }

    /** The reply call with the first option of each question filled in, as an example to edit. */
    static String replyCall(Question q, String instanceName) {
        StringBuilder answers = new StringBuilder("[");
        for (Question.Item i : q.questions()) {
            if (answers.length() > 1) {
                answers.append(',');
            }
            String first = i.options().isEmpty() || i.options().get(0).label() == null ? "your answer" : i.options().get(0).label();
            answers.append("[\"").append(json(first)).append("\"]");
        }
        answers.append(']');
        return "reply_question {\"instance\":\"" + instanceName + "\",\"question_id\":\"" + q.id() + "\",\"answers\":"
                + answers + "}";
    }

    static String rejectCall(Question q, String instanceName) {
        return "reply_question {\"instance\":\"" + instanceName + "\",\"question_id\":\"" + q.id() + "\",\"reject\":true}";
    }

    /** The questions as a numbered list with their options, then how to answer. */
    static String markdown(Question q, String instanceName) {
        return items(q) + "Answer with " + Markdown.code(replyCall(q, instanceName))
                + " (one list of chosen labels, or your own text, per question), or dismiss it with "
                + Markdown.code(rejectCall(q, instanceName)) + ".";
    }

    /** The questions with their options, one numbered line each (no reply call: the simple profile has none). */
    static String items(Question q) {
        StringBuilder md = new StringBuilder();
        int n = 1;
        for (Question.Item i : q.questions()) {
            md.append(n++).append(". ");
            if (i.header() != null && !i.header().isBlank()) {
                md.append("**").append(Markdown.cell(i.header())).append("**: ");
            }
            md.append(Markdown.cell(i.question() == null ? "?" : i.question()));
            if (!i.options().isEmpty()) {
                md.append(i.multiple() ? " (choose one or more)" : " (choose one)").append(": ");
                List<String> opts = new ArrayList<>();
                for (Question.Option o : i.options()) {
                    opts.add(Markdown.code(o.label() == null ? "?" : o.label())
                            + (o.description() == null || o.description().isBlank() ? "" : " (" + Markdown.cell(o.description()) + ")"));
                }
                md.append(String.join(", ", opts));
            }
            md.append('\n');
        }
        return md.toString();
    }

    private static String json(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
