package org.opencodemcp.server.opencode;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One event from an OpenCode event stream, unwrapped from the {@code /global/event} envelope.
 *
 * @param type       event type, e.g. {@code session.status}, {@code message.part.delta}
 * @param properties the event's {@code properties} object (never null; empty object when absent)
 * @param typed      the decoded event: what tools and live state read
 */
public record OpenCodeEvent(String type, JsonNode properties, Event typed) {

    /** Decodes the typed event once, here, where the stream delivers it. */
    public OpenCodeEvent(String type, JsonNode properties) {
        this(type, properties, EventDecoder.decode(type, properties));
    }

    /** The session this event is about, or null. */
    public String sessionId() {
        return typed.sessionId();
    }
}
