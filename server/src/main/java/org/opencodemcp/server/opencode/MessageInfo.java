package org.opencodemcp.server.opencode;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A message's {@code info} ({@code message.updated}, {@code GET /session/{id}/message}): user or assistant,
 * the user message an assistant message answers ({@code parentID}), and for assistants tokens, cost, error and finish.
 *
 * @param completed epoch ms when an assistant message finished, 0 while it runs (and for user messages)
 */
public record MessageInfo(String id, String sessionId, String role, String parentId, long created, long completed,
        String agent, ModelRef model, Tokens tokens, Double cost, ErrorInfo error, String finish) {
    public static final String USER = "user";
    public static final String ASSISTANT = "assistant";

    public static MessageInfo from(JsonNode info) {
        JsonNode time = Wire.object(info, "time");
        // assistant messages name the model at the top level, user messages in {model:{providerID, modelID}}
        JsonNode m = Wire.object(info, "model");
        String provider = m != null ? Wire.text(m, "providerID") : Wire.text(info, "providerID");
        String model = m != null ? Wire.text(m, "modelID") : Wire.text(info, "modelID");
        String agent = Wire.text(info, "agent");
        return new MessageInfo(Wire.text(info, "id"), Wire.text(info, "sessionID"), Wire.text(info, "role"),
                Wire.text(info, "parentID"), Wire.number(time, "created"), Wire.number(time, "completed"),
                agent != null ? agent : Wire.text(info, "mode"),
                provider != null && model != null ? new ModelRef(provider, model) : null,
                Tokens.from(info.get("tokens")), Wire.decimal(info, "cost"), ErrorInfo.from(info.get("error")),
                Wire.text(info, "finish"));
    }

    public boolean user() {
        return USER.equals(role);
    }

    public boolean assistant() {
        return ASSISTANT.equals(role);
    }
}
