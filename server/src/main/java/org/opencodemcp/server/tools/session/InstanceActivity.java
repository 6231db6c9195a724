package org.opencodemcp.server.tools.session;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.opencodemcp.server.opencode.OpenCodeException;
import org.opencodemcp.server.tools.session.SessionLookup.Target;

/**
 * Session statuses and pending permissions of one instance: the server's answer merged with what
 * the shared event stream saw. {@code GET /session/status} covers the server's own directory only
 * (§8.4), while the event stream covers every directory, so neither alone is complete.
 */
record InstanceActivity(Map<String, JsonNode> statuses, Map<String, JsonNode> permissions) {

    static InstanceActivity of(Target t) {
        Map<String, JsonNode> statuses = new LinkedHashMap<>(t.instance().activity().statuses());
        Map<String, JsonNode> permissions = new LinkedHashMap<>(t.instance().activity().pendingPermissions());
        try {
            JsonNode fetched = t.api().statuses();
            if (fetched != null && fetched.isObject()) {
                fetched.fields().forEachRemaining(e -> statuses.put(e.getKey(), e.getValue()));
            }
            JsonNode pending = t.api().permissions();
            if (pending != null && pending.isArray()) {
                Map<String, JsonNode> fresh = new LinkedHashMap<>();
                pending.forEach(p -> fresh.put(p.path("id").asText(), p));
                // the server's list is authoritative for its directory; keep event-only entries too
                permissions.putAll(fresh);
            }
        } catch (OpenCodeException e) {
            if (e.kind() == OpenCodeException.Kind.UNREACHABLE) {
                throw e;
            }
            // an older server without one of the routes: the event view still answers
        }
        statuses.values().removeIf(s -> "idle".equals(s.path("type").asText()));
        return new InstanceActivity(statuses, permissions);
    }

    /** {@code idle}, {@code busy} or {@code retry}. */
    String statusOf(String sessionId) {
        JsonNode s = statuses.get(sessionId);
        return s == null ? "idle" : s.path("type").asText("busy");
    }

    JsonNode rawStatus(String sessionId) {
        return statuses.get(sessionId);
    }

    Map<String, JsonNode> permissionsOf(String sessionId) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        permissions.forEach((id, p) -> {
            if (sessionId.equals(p.path("sessionID").asText())) {
                out.put(id, p);
            }
        });
        return out;
    }
}
