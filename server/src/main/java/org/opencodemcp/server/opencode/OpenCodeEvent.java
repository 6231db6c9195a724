package org.opencodemcp.server.opencode;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One event from an OpenCode event stream, unwrapped from the {@code /global/event} envelope.
 *
 * @param type       event type, e.g. {@code session.status}, {@code message.part.delta}
 * @param properties the event's {@code properties} object (never null; empty object when absent)
 */
public record OpenCodeEvent(String type, JsonNode properties) {

    /** The session this event is about, or null: most session events carry {@code properties.sessionID}. */
    public String sessionId() {
        JsonNode id = properties.get("sessionID");
        if (id != null && id.isTextual()) {
            return id.asText();
        }
        JsonNode info = properties.get("info");
        if (info != null && info.has("sessionID")) {
            return info.get("sessionID").asText();
        }
        JsonNode part = properties.get("part");
        if (part != null && part.has("sessionID")) {
            return part.get("sessionID").asText();
        }
        return null;
    }
}
