package org.opencodemcp.server.tools.session;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.opencodemcp.server.opencode.MessageInfo;
import org.opencodemcp.server.opencode.Part;
import org.opencodemcp.server.opencode.SessionMessage;
import org.opencodemcp.server.opencode.Tokens;
import org.opencodemcp.server.opencode.ToolInput;
import org.opencodemcp.server.tools.Times;
import org.opencodemcp.server.tools.ToolResults;

/**
 * One OpenCode message ({@code {info, parts}}) reduced to what a reader needs: visible text (synthetic and
 * ignored parts hidden: OpenCode adds them itself, e.g. the expanded content of an attached file), a
 * reasoning summary, one line per tool call, the error, tokens and cost.
 */
record MessageView(String id, String role, String parentId, String time, String agent, String model,
        String text, String reasoning, List<ToolCall> tools, String error, String finish, Tokens tokens,
        Double cost, boolean completed) {

    static final int INPUT_CHARS = 120;
    static final int REASONING_CHARS = 160;

    record ToolCall(String tool, String status, String input, String title, String error) {}

    static MessageView of(SessionMessage message) {
        MessageInfo info = message.info();
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        List<ToolCall> tools = new ArrayList<>();
        for (Part p : message.parts()) {
            if (p instanceof Part.Text t) {
                if (!t.synthetic() && !t.ignored()) {
                    appendBlock(text, t.text());
                }
            } else if (p instanceof Part.Reasoning r) {
                appendBlock(reasoning, r.text());
            } else if (p instanceof Part.Tool t) {
                tools.add(new ToolCall(t.tool().isEmpty() ? "?" : t.tool(), t.status(), shortInput(t.input()), t.title(), t.error()));
            } else if (p instanceof Part.File f) {
                appendBlock(text, "[file: " + (f.filename() != null ? f.filename() : f.url() != null ? f.url() : "?") + "]");
            } else if (p instanceof Part.Subtask st) {
                appendBlock(text, "[subtask for " + (st.agent() == null ? "?" : st.agent()) + ": "
                        + (st.description() == null ? "" : st.description()) + "]");
            }
            // step-start, step-finish, snapshot, patch, retry, compaction: no reader-visible content
        }
        boolean assistant = info.assistant();
        return new MessageView(info.id(), info.role() == null ? "unknown" : info.role(), info.parentId(),
                Times.isoMillis(info.created()), info.agent(), info.model() == null ? null : info.model().toString(),
                text.toString(), summarize(reasoning.toString()), tools,
                info.error() == null ? null : info.error().line(), info.finish(),
                assistant ? info.tokens() : null, assistant ? info.cost() : null,
                !assistant || info.completed() > 0);
    }

    static String shortInput(JsonNode input) {
        return ToolInput.brief(input, INPUT_CHARS);
    }

    private static String summarize(String reasoning) {
        if (reasoning.isBlank()) {
            return null;
        }
        return reasoning.length() + " chars: " + cut(reasoning, REASONING_CHARS);
    }

    static String cut(String s, int max) {
        return ToolInput.cut(s, max);
    }

    private static void appendBlock(StringBuilder sb, String s) {
        if (s.isBlank()) {
            return;
        }
        if (sb.length() > 0) {
            sb.append("\n\n");
        }
        sb.append(s.strip());
    }

    Map<String, Object> structured() {
        Map<String, Object> m = ToolResults.object();
        m.put("id", id);
        m.put("role", role);
        m.put("parentId", parentId);
        m.put("time", time);
        m.put("agent", agent);
        m.put("model", model);
        m.put("text", text);
        m.put("reasoning", reasoning);
        m.put("tools", tools.stream().map(MessageView::toolMap).toList());
        m.put("error", error);
        m.put("finish", finish);
        m.put("tokens", tokens == null ? null : TokenView.structured(tokens));
        m.put("cost", cost);
        m.put("completed", completed);
        return m;
    }

    static Map<String, Object> toolMap(ToolCall t) {
        Map<String, Object> m = ToolResults.object();
        m.put("tool", t.tool());
        m.put("status", t.status());
        m.put("input", t.input());
        m.put("title", t.title());
        m.put("error", t.error());
        return m;
    }

    static String toolLine(ToolCall t) {
        StringBuilder sb = new StringBuilder("- tool `").append(t.tool()).append("` ").append(t.status());
        if (t.input() != null) {
            sb.append(": `").append(t.input().replace("`", "'")).append('`');
        }
        if (t.error() != null) {
            sb.append(" (error: ").append(cut(t.error(), 200)).append(')');
        }
        return sb.toString();
    }
}
