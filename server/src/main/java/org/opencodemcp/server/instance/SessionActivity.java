package org.opencodemcp.server.instance;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.opencodemcp.server.opencode.OpenCodeEvent;

/**
 * Live status of one instance's sessions, kept current from its event stream so that
 * {@code list_instances} answers without a network call.
 */
public final class SessionActivity {
    /** sessionID -> status object ({@code {"type":"busy"}}, {@code {"type":"retry",...}}); idle sessions are absent. */
    private final Map<String, JsonNode> statuses = new ConcurrentHashMap<>();
    /** permission request id -> the request ({@code permission.asked} properties). */
    private final Map<String, JsonNode> permissions = new ConcurrentHashMap<>();

    /** Seeds from {@code GET /session/status} (a map of non-idle sessions). */
    public boolean seedStatusesChanged(JsonNode map) {
        boolean changed = false;
        if (map != null && map.isObject()) {
            // The answer is the whole truth at this moment: a session it does not list is idle.
            changed |= statuses.keySet().removeIf(id -> !map.has(id));
            var it = map.fields();
            while (it.hasNext()) {
                var e = it.next();
                changed |= update(e.getKey(), e.getValue());
            }
        }
        return changed;
    }

    /** Applies one event; returns true when something shown to the assistant changed. */
    public boolean apply(OpenCodeEvent event) {
        JsonNode p = event.properties();
        switch (event.type()) {
            case "session.status" -> {
                String id = event.sessionId();
                if (id != null) {
                    return update(id, p.get("status"));
                }
                return false;
            }
            case "session.idle" -> {
                String id = event.sessionId();
                return id != null && statuses.remove(id) != null;
            }
            case "session.deleted" -> {
                String id = event.sessionId();
                return id != null && statuses.remove(id) != null;
            }
            case "permission.asked" -> {
                JsonNode id = p.get("id");
                if (id != null && id.isTextual()) {
                    permissions.put(id.asText(), p);
                    return true;
                }
                return false;
            }
            case "permission.replied" -> {
                JsonNode id = p.has("requestID") ? p.get("requestID") : p.get("permissionID");
                if (id == null) {
                    id = p.get("id");
                }
                return id != null && permissions.remove(id.asText()) != null;
            }
            default -> {
                return false;
            }
        }
    }

    private boolean update(String sessionId, JsonNode status) {
        if (status == null || !status.isObject() || "idle".equals(status.path("type").asText())) {
            return statuses.remove(sessionId) != null;
        }
        JsonNode old = statuses.put(sessionId, status);
        return !status.equals(old);
    }

    public int busySessions() {
        return statuses.size();
    }

    public Map<String, JsonNode> statuses() {
        return Map.copyOf(statuses);
    }

    public Map<String, JsonNode> pendingPermissions() {
        return Map.copyOf(permissions);
    }

    public void clear() {
        statuses.clear();
        permissions.clear();
    }
}
