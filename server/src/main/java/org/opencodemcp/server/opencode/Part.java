package org.opencodemcp.server.opencode;

import com.fasterxml.jackson.databind.JsonNode;

/** One part of a message ({@code message.part.updated}, message {@code parts}); unknown part types are {@link Other}. */
public sealed interface Part {
    String TOOL_PENDING = "pending";
    String TOOL_RUNNING = "running";
    String TOOL_COMPLETED = "completed";
    String TOOL_ERROR = "error";

    String id();

    String messageId();

    String sessionId();

    record Text(String id, String messageId, String sessionId, String text, boolean synthetic, boolean ignored)
            implements Part {}

    record Reasoning(String id, String messageId, String sessionId, String text) implements Part {}

    /**
     * @param input  the call's arguments (an object; empty while pending)
     * @param status {@code pending}, {@code running}, {@code completed} or {@code error}
     */
    record Tool(String id, String messageId, String sessionId, String tool, String callId, String status, JsonNode input,
            String title, String output, String error, long started) implements Part {}

    record File(String id, String messageId, String sessionId, String mime, String filename, String url) implements Part {}

    /** {@code step-start} ({@code finish} false) or {@code step-finish} with its reason, tokens and cost. */
    record Step(String id, String messageId, String sessionId, boolean finish, String reason, Tokens tokens, Double cost)
            implements Part {}

    /** {@code subtask}: work handed to a subagent. */
    record Subtask(String id, String messageId, String sessionId, String agent, String description) implements Part {}

    /** A part type we do not use (patch, snapshot, agent, subtask, compaction, ...), kept by its type. */
    record Other(String id, String messageId, String sessionId, String type) implements Part {}

    static Part from(JsonNode p) {
        String id = Wire.text(p, "id");
        String message = Wire.text(p, "messageID");
        String session = Wire.text(p, "sessionID");
        String type = Wire.text(p, "type");
        if (type == null) {
            type = "";
        }
        return switch (type) {
            case "text" -> new Text(id, message, session, orEmpty(Wire.text(p, "text")), Wire.flag(p, "synthetic"),
                    Wire.flag(p, "ignored"));
            case "reasoning" -> new Reasoning(id, message, session, orEmpty(Wire.text(p, "text")));
            case "tool" -> tool(p, id, message, session);
            case "file" -> new File(id, message, session, Wire.text(p, "mime"), Wire.text(p, "filename"), Wire.text(p, "url"));
            case "subtask" -> new Subtask(id, message, session, Wire.text(p, "agent"), Wire.text(p, "description"));
            case "step-start" -> new Step(id, message, session, false, null, null, null);
            case "step-finish" -> new Step(id, message, session, true, Wire.text(p, "reason"), Tokens.from(p.get("tokens")),
                    Wire.decimal(p, "cost"));
            default -> new Other(id, message, session, type);
        };
    }

    private static Tool tool(JsonNode p, String id, String message, String session) {
        JsonNode state = Wire.object(p, "state");
        JsonNode input = state == null ? null : state.get("input");
        String status = Wire.text(state, "status");
        return new Tool(id, message, session, orEmpty(Wire.text(p, "tool")), Wire.text(p, "callID"),
                status == null ? TOOL_PENDING : status,
                input != null && input.isObject() ? input : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(),
                Wire.text(state, "title"), Wire.text(state, "output"), Wire.text(state, "error"),
                Wire.number(Wire.object(state, "time"), "start"));
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
