package org.opencodemcp.server.tools.session;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.opencodemcp.server.tools.Times;
import org.opencodemcp.server.tools.ToolResults;

/**
 * One OpenCode message ({@code {info, parts}}) reduced to what a reader needs: visible text (synthetic and
 * ignored parts hidden, §8.8), a reasoning summary, one line per tool call, the error, tokens and cost.
 */
record MessageView(String id, String role, String parentId, String time, String agent, String model,
        String text, String reasoning, List<ToolCall> tools, String error, String finish, Tokens tokens,
        Double cost, boolean completed) {

    static final int INPUT_CHARS = 120;
    static final int REASONING_CHARS = 160;

    record ToolCall(String tool, String status, String input, String title, String error) {}

    record Tokens(long input, long output, long reasoning, long cacheRead, long cacheWrite) {
        static Tokens of(JsonNode t) {
            if (t == null || !t.isObject()) {
                return null;
            }
            return new Tokens(t.path("input").asLong(), t.path("output").asLong(), t.path("reasoning").asLong(),
                    t.path("cache").path("read").asLong(), t.path("cache").path("write").asLong());
        }

        Tokens plus(Tokens o) {
            return o == null ? this : new Tokens(input + o.input, output + o.output, reasoning + o.reasoning,
                    cacheRead + o.cacheRead, cacheWrite + o.cacheWrite);
        }

        Map<String, Object> structured() {
            Map<String, Object> m = ToolResults.object();
            m.put("input", input);
            m.put("output", output);
            m.put("reasoning", reasoning);
            m.put("cacheRead", cacheRead);
            m.put("cacheWrite", cacheWrite);
            return m;
        }

        String line() {
            return "in " + input + " / out " + output + (reasoning > 0 ? " / reasoning " + reasoning : "")
                    + (cacheRead + cacheWrite > 0 ? " / cache r" + cacheRead + " w" + cacheWrite : "");
        }
    }

    static MessageView of(JsonNode message) {
        JsonNode info = message.path("info");
        String role = info.path("role").asText("unknown");
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        List<ToolCall> tools = new ArrayList<>();
        for (JsonNode p : message.path("parts")) {
            switch (p.path("type").asText()) {
                case "text" -> {
                    if (!p.path("synthetic").asBoolean(false) && !p.path("ignored").asBoolean(false)) {
                        appendBlock(text, p.path("text").asText(""));
                    }
                }
                case "reasoning" -> appendBlock(reasoning, p.path("text").asText(""));
                case "tool" -> tools.add(toolCall(p));
                case "file" -> appendBlock(text, "[file: " + p.path("filename").asText(p.path("url").asText("?")) + "]");
                case "subtask" -> appendBlock(text, "[subtask for " + p.path("agent").asText("?") + ": "
                        + p.path("description").asText("") + "]");
                default -> {
                    // step-start, step-finish, snapshot, patch, retry, compaction: no reader-visible content
                }
            }
        }
        String model = null;
        if (info.hasNonNull("providerID") && info.hasNonNull("modelID")) {
            model = info.get("providerID").asText() + "/" + info.get("modelID").asText();
        } else if (info.path("model").isObject()) {
            model = info.path("model").path("providerID").asText() + "/" + info.path("model").path("modelID").asText();
        }
        boolean assistant = "assistant".equals(role);
        return new MessageView(info.path("id").asText(), role, text(info, "parentID"),
                Times.isoMillis(info.path("time").path("created").asLong(0)),
                text(info, "agent"), model, text.toString(), summarize(reasoning.toString()), tools,
                error(info.path("error")), text(info, "finish"),
                assistant ? Tokens.of(info.get("tokens")) : null,
                assistant && info.has("cost") ? info.get("cost").asDouble() : null,
                !assistant || info.path("time").has("completed"));
    }

    /** {@code Name: message} of an OpenCode message error, or null. */
    static String error(JsonNode e) {
        if (e == null || !e.isObject()) {
            return null;
        }
        String name = e.path("name").asText("Error");
        String msg = e.path("data").path("message").asText("");
        return msg.isEmpty() ? name : name + ": " + msg;
    }

    private static ToolCall toolCall(JsonNode p) {
        JsonNode state = p.path("state");
        String status = state.path("status").asText("pending");
        String err = state.hasNonNull("error") ? state.get("error").asText() : null;
        return new ToolCall(p.path("tool").asText("?"), status, shortInput(state.path("input")),
                text(state, "title"), err);
    }

    /** The argument a reader recognises (command, file, pattern, url), else compact JSON; cut to a line. */
    static String shortInput(JsonNode input) {
        if (input == null || !input.isObject() || input.isEmpty()) {
            return null;
        }
        for (String key : List.of("command", "filePath", "path", "pattern", "url", "query", "description", "prompt")) {
            if (input.path(key).isTextual()) {
                return cut(input.get(key).asText(), INPUT_CHARS);
            }
        }
        return cut(input.toString(), INPUT_CHARS);
    }

    private static String summarize(String reasoning) {
        if (reasoning.isBlank()) {
            return null;
        }
        return reasoning.length() + " chars: " + cut(reasoning, REASONING_CHARS);
    }

    static String cut(String s, int max) {
        String one = s.replaceAll("\\s+", " ").strip();
        return one.length() <= max ? one : one.substring(0, max - 3) + "...";
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

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
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
        m.put("tokens", tokens == null ? null : tokens.structured());
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
