package org.opencodemcp.server.tools.session;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.opencodemcp.server.opencode.OpenCodeException;
import org.opencodemcp.server.opencode.SessionInfo;
import org.opencodemcp.server.registry.Registration;
import org.opencodemcp.server.tools.session.SessionLookup.Target;

/**
 * Session statuses and pending permissions of one instance: the server's answer merged with what
 * the shared event stream saw. {@code GET /session/status} covers the server's own directory only
 * (§8.4), while the event stream covers every directory, so neither alone is complete.
 */
record InstanceActivity(Map<String, JsonNode> statuses, Map<String, JsonNode> permissions) {

    static InstanceActivity of(Target t) {
        return of(t, List.of());
    }

    /**
     * @param sessions sessions whose directory is known: for those in the server's own directory the
     *     server's answer wins, so a busy state the event stream left behind (a missed idle) cannot stick
     */
    static InstanceActivity of(Target t, Collection<SessionInfo> sessions) {
        Map<String, JsonNode> statuses = new LinkedHashMap<>(t.instance().activity().statuses());
        Map<String, JsonNode> permissions = new LinkedHashMap<>(t.instance().activity().pendingPermissions());
        try {
            JsonNode fetched = t.api().statuses();
            if (fetched != null && fetched.isObject()) {
                Registration r = t.instance().registration();
                String serverDir = r == null ? null : r.cwd();
                for (SessionInfo s : sessions) {
                    if (serverDir != null && Objects.equals(s.directory(), serverDir) && !fetched.has(s.id())) {
                        statuses.remove(s.id());
                    }
                }
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
