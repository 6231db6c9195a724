package org.opencodemcp.server.tools.session;

import java.util.List;
import java.util.Map;
import org.opencodemcp.server.opencode.SessionInfo;
import org.opencodemcp.server.registry.InstanceRegistry;
import org.opencodemcp.contract.SafeText;
import org.opencodemcp.server.tools.Markdown;
import org.opencodemcp.server.tools.Times;
import org.opencodemcp.server.tools.ToolResults;

/**
 * What the {@code opencode://instance/{name}} and {@code .../session/{id}} resources show: the same
 * lookup and rendering as {@code list_sessions} and {@code get_session}. Errors are
 * {@link org.opencodemcp.server.tools.ToolError}s with the usual advice.
 */
public final class SessionResources {
    /** Messages shown in a session resource (the newest). */
    static final int MESSAGES = 50;
    private final SessionLookup lookup;
    private final InstanceRegistry registry;

    private final java.time.Clock clock;

    public SessionResources(InstanceRegistry registry, java.time.Clock clock) {
        this.lookup = new SessionLookup(registry);
        this.registry = registry;
        this.clock = clock;
    }

    /** What fleet_status shows, for {@code opencode://fleet} (live state only: no network). */
    public Map<String, Object> fleetStatus() {
        return FleetStatusTool.forResource(registry.instances(), clock.instant());
    }

    /** The instance's sessions with their live status (network: one instance, bounded by its deadlines). */
    public List<Map<String, Object>> sessions(String instanceName) {
        SessionLookup.Target t = lookup.instance(instanceName);
        List<SessionInfo> sessions = t.api().list();
        InstanceActivity activity = InstanceActivity.of(t, sessions);
        int len = SessionMatcher.shownIdLength(sessions);
        return sessions.stream().map(s -> SessionRows.structured(s, len, activity)).toList();
    }

    /** The session's last messages as Markdown, headed like get_session. */
    public String conversation(String instanceName, String sessionId) {
        SessionLookup.Target t = lookup.session(instanceName, sessionId);
        SessionInfo s = t.session();
        Conversation conversation = Conversation.of(t.api().messages(s.id(), MESSAGES));
        InstanceActivity activity = InstanceActivity.of(t, List.of(s));
        StringBuilder md = new StringBuilder("## Session: ").append(s.title() == null ? "(untitled)" : s.title()).append("\n\n");
        md.append("- **Instance:** ").append(t.name()).append('\n');
        md.append("- **ID:** ").append(Markdown.code(s.id())).append('\n');
        md.append("- **Directory:** ").append(SafeText.markdown(s.directory())).append('\n');
        md.append("- **Updated:** ").append(Markdown.cell(Times.isoMillis(s.updated()))).append('\n');
        md.append("- **Status:** ").append(SessionRows.statusCell(s.id(), activity)).append("\n\n");
        md.append(conversation.markdown());
        return md.toString();
    }

    static Map<String, Object> object() {
        return ToolResults.object();
    }
}
