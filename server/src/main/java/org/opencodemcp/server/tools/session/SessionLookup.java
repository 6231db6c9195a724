package org.opencodemcp.server.tools.session;

import java.util.List;
import org.opencodemcp.server.instance.Instance;
import org.opencodemcp.server.opencode.OpenCodeException;
import org.opencodemcp.server.opencode.SessionApi;
import org.opencodemcp.server.opencode.SessionInfo;
import org.opencodemcp.server.registry.InstanceRegistry;
import org.opencodemcp.server.tools.InstanceLookup;

/** Resolves the {@code instance} and {@code session} arguments of the session tools. */
public final class SessionLookup {
    /** Input-schema fragment shared by every tool that takes a session. */
    static final String SESSION_PROPERTY = "\"session\":{\"type\":\"string\",\"description\":"
            + "\"Session: full id, a unique id prefix (as shown by list_sessions), or a unique part of its title\"}";

    private final InstanceLookup instances;

    /** An online instance, its API and (when asked for) the session. */
    public record Target(Instance instance, SessionApi api, SessionInfo session) {
        public String name() {
            return instance.name();
        }
    }

    public SessionLookup(InstanceRegistry registry) {
        this.instances = new InstanceLookup(registry);
    }

    public Target instance(String instanceQuery) {
        Instance i = instances.online(instanceQuery);
        return new Target(i, new SessionApi(i.client()), null);
    }

    public Target session(String instanceQuery, String sessionQuery) {
        Target t = instance(instanceQuery);
        return new Target(t.instance(), t.api(), find(t, sessionQuery));
    }

    /** Matches against the listed sessions; a full id that is not listed (another directory) is asked for directly. */
    SessionInfo find(Target t, String sessionQuery) {
        List<SessionInfo> sessions = t.api().list();
        String q = sessionQuery == null ? "" : sessionQuery.trim();
        boolean listed = sessions.stream().anyMatch(s -> s.id().equals(q));
        // GET /session lists one project only; a full id from elsewhere is still valid. Only ids
        // with the ses prefix are asked for: a malformed one makes OpenCode answer 500.
        if (!listed && q.startsWith("ses_") && q.length() >= 26) {
            try {
                return t.api().get(q);
            } catch (OpenCodeException e) {
                if (e.kind() != OpenCodeException.Kind.NOT_FOUND) {
                    throw e;
                }
            }
        }
        return SessionMatcher.resolve(q, sessions, t.name());
    }
}
