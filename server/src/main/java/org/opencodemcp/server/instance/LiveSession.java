package org.opencodemcp.server.instance;

import java.time.Instant;
import java.util.List;
import org.opencodemcp.server.opencode.ModelRef;
import org.opencodemcp.server.opencode.SessionInfo;
import org.opencodemcp.server.opencode.SessionStatus;
import org.opencodemcp.server.opencode.Todo;

/**
 * What the event stream taught us about one session, immutable (replaced on each change).
 *
 * @param info        the newest session object seen (title, agent, model, tokens, cost), or null
 * @param since       when the session last left idle (or was first seen busy)
 * @param runningTool the tool running now with a short argument, or null
 * @param lastText    the tail of the newest assistant text, or null
 */
public record LiveSession(String id, SessionInfo info, SessionStatus status, Instant since, String runningTool,
        String lastText, List<Todo> todos, Instant touched) {

    static LiveSession fresh(String id, Instant now) {
        return new LiveSession(id, null, SessionStatus.IDLE_STATUS, now, null, null, List.of(), now);
    }

    public String title() {
        return info == null ? null : info.title();
    }

    public String agent() {
        return info == null ? null : info.agent();
    }

    public ModelRef model() {
        return info == null ? null : info.model();
    }

    LiveSession withInfo(SessionInfo i, Instant now) {
        return new LiveSession(id, i, status, since, runningTool, lastText, todos, now);
    }

    LiveSession withStatus(SessionStatus s, Instant now) {
        Instant from = status.idle() && !s.idle() ? now : since;
        // a turn that ended keeps its last text and todos, but no longer runs a tool
        return new LiveSession(id, info, s, from, s.idle() ? null : runningTool, lastText, todos, now);
    }

    LiveSession withTool(String tool, Instant now) {
        return new LiveSession(id, info, status, since, tool, lastText, todos, now);
    }

    LiveSession withText(String text, Instant now) {
        return new LiveSession(id, info, status, since, runningTool, text, todos, now);
    }

    LiveSession withTodos(List<Todo> list, Instant now) {
        return new LiveSession(id, info, status, since, runningTool, lastText, List.copyOf(list), now);
    }
}
