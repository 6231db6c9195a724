package org.opencodemcp.server.tools.session;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.opencodemcp.server.instance.LiveSession;
import org.opencodemcp.server.instance.SessionActivity;
import org.opencodemcp.server.opencode.OpenCodeException;
import org.opencodemcp.server.opencode.Permission;
import org.opencodemcp.server.opencode.Question;
import org.opencodemcp.server.opencode.SessionInfo;
import org.opencodemcp.contract.Registration;
import org.opencodemcp.server.opencode.SessionStatus;
import org.opencodemcp.server.opencode.Todo;
import org.opencodemcp.server.tools.session.SessionLookup.Target;

/**
 * Session statuses and pending permissions of one instance: the server's answer merged with what
 * the shared event stream saw. {@code GET /session/status} covers the server's own directory only
 * (sessions run in another directory are missing from it), while the event stream covers every directory, so neither alone is complete.
 */
record InstanceActivity(Map<String, SessionStatus> statuses, Map<String, Permission> permissions,
        Map<String, Question> questions, SessionActivity live) {

    static InstanceActivity of(Target t) {
        return of(t, List.of());
    }

    /**
     * @param sessions sessions whose directory is known: for those in the server's own directory the
     *     server's answer wins, so a busy state the event stream left behind (a missed idle) cannot stick
     */
    static InstanceActivity of(Target t, Collection<SessionInfo> sessions) {
        Map<String, SessionStatus> statuses = new LinkedHashMap<>(t.instance().activity().statuses());
        SessionActivity live = t.instance().activity();
        Map<String, Permission> permissions = new LinkedHashMap<>(live.pendingPermissions());
        Map<String, Question> questions = new LinkedHashMap<>();
        live.questions().forEach(q -> questions.put(q.request().id(), q.request()));
        try {
            Map<String, SessionStatus> fetched = t.api().statuses();
            Registration r = t.instance().registration();
            String serverDir = r == null ? null : r.cwd();
            for (SessionInfo s : sessions) {
                if (serverDir != null && Objects.equals(s.directory(), serverDir) && !fetched.containsKey(s.id())) {
                    statuses.remove(s.id());
                }
            }
            statuses.putAll(fetched);
            // the server's list is authoritative for its directory; keep event-only entries too
            t.api().permissions().forEach(p -> permissions.put(p.id(), p));
            t.api().questions().forEach(q -> questions.put(q.id(), q));
        } catch (OpenCodeException e) {
            if (e.kind() == OpenCodeException.Kind.UNREACHABLE) {
                throw e;
            }
            // an older server without one of the routes: the event view still answers
        }
        statuses.values().removeIf(SessionStatus::idle);
        return new InstanceActivity(statuses, permissions, questions, live);
    }

    /** The session's status; idle when nothing says otherwise. */
    SessionStatus statusOf(String sessionId) {
        return statuses.getOrDefault(sessionId, SessionStatus.IDLE_STATUS);
    }

    /** The todo list the event stream last saw for the session (empty when none was written). */
    List<Todo> todosOf(String sessionId) {
        LiveSession s = live.session(sessionId);
        return s == null ? List.of() : s.todos();
    }

    Map<String, Question> questionsOf(String sessionId) {
        Map<String, Question> out = new LinkedHashMap<>();
        questions.forEach((id, q) -> {
            if (sessionId.equals(q.sessionId())) {
                out.put(id, q);
            }
        });
        return out;
    }

    Map<String, Permission> permissionsOf(String sessionId) {
        Map<String, Permission> out = new LinkedHashMap<>();
        permissions.forEach((id, p) -> {
            if (sessionId.equals(p.sessionId())) {
                out.put(id, p);
            }
        });
        return out;
    }
}
