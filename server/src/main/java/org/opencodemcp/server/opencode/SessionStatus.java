package org.opencodemcp.server.opencode;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A session's status ({@code session.status} event, {@code GET /session/status} value): idle, busy, or
 * retry with the attempt, the provider's message and the next try (epoch ms). The status names live here only.
 */
public record SessionStatus(String type, int attempt, String message, long next) {
    public static final String IDLE = "idle";
    public static final String BUSY = "busy";
    public static final String RETRY = "retry";
    public static final SessionStatus IDLE_STATUS = new SessionStatus(IDLE, 0, null, 0);
    public static final SessionStatus BUSY_STATUS = new SessionStatus(BUSY, 0, null, 0);

    /** A missing status is idle (the map leaves idle sessions out); an unknown type counts as busy. */
    public static SessionStatus from(JsonNode n) {
        if (n == null || !n.isObject()) {
            return IDLE_STATUS;
        }
        String type = Wire.text(n, "type");
        if (!IDLE.equals(type) && !RETRY.equals(type)) {
            type = BUSY; // a status this client does not know still means "not idle"
        }
        return new SessionStatus(type, (int) Wire.number(n, "attempt"), Wire.text(n, "message"), Wire.number(n, "next"));
    }

    /** {@code GET /session/status}: sessionID -> status, idle sessions left out. */
    public static java.util.Map<String, SessionStatus> map(JsonNode n) {
        java.util.Map<String, SessionStatus> out = new java.util.LinkedHashMap<>();
        if (n != null && n.isObject()) {
            n.fields().forEachRemaining(e -> {
                SessionStatus s = from(e.getValue());
                if (!s.idle()) {
                    out.put(e.getKey(), s);
                }
            });
        }
        return out;
    }

    public boolean idle() {
        return IDLE.equals(type);
    }

    public boolean retrying() {
        return RETRY.equals(type);
    }
}
