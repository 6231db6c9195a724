package org.opencodemcp.server.tools.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.opencodemcp.server.opencode.SessionInfo;
import org.opencodemcp.server.tools.Markdown;
import org.opencodemcp.server.tools.ToolError;

/**
 * Finds the session a tool call means, the same way for every tool: the full id, else the one id that
 * starts with the query, else the one title that contains it (ignoring case). Anything else is a
 * {@link ToolError} that lists the choices; we never guess.
 */
public final class SessionMatcher {
    /** Session ids share long time-based prefixes; never show fewer characters than this. */
    static final int MIN_SHOWN = 12;
    static final int MAX_LISTED = 15;

    private SessionMatcher() {}

    /** @param sessions the instance's sessions, newest update first */
    public static SessionInfo resolve(String query, List<SessionInfo> sessions, String instanceName) {
        String q = query == null ? "" : query.trim();
        if (sessions.isEmpty()) {
            throw new ToolError("Instance " + instanceName + " has no sessions. Create one with `create_session`,"
                    + " or call `send_message` with session \"new\".");
        }
        if (q.isEmpty()) {
            throw notFound("Name a session.", sessions, instanceName);
        }
        for (SessionInfo s : sessions) {
            if (s.id().equals(q)) {
                return s;
            }
        }
        List<SessionInfo> byPrefix = sessions.stream().filter(s -> s.id().startsWith(q)).toList();
        if (byPrefix.size() == 1) {
            return byPrefix.get(0);
        }
        if (byPrefix.size() > 1) {
            throw ambiguous("Session id prefix \"" + q + "\" matches " + byPrefix.size() + " sessions", byPrefix, sessions);
        }
        String lower = q.toLowerCase(Locale.ROOT);
        List<SessionInfo> byTitle = sessions.stream()
                .filter(s -> s.title() != null && s.title().toLowerCase(Locale.ROOT).contains(lower)).toList();
        if (byTitle.size() == 1) {
            return byTitle.get(0);
        }
        if (byTitle.size() > 1) {
            throw ambiguous("\"" + q + "\" is in the title of " + byTitle.size() + " sessions", byTitle, sessions);
        }
        throw notFound("No session on " + instanceName + " has the id, an id starting with, or a title containing \""
                + q + "\".", sessions, instanceName);
    }

    /** The most recently updated top-level session (the one the person is likely looking at), or null. */
    public static SessionInfo mostRecent(List<SessionInfo> sessions) {
        SessionInfo best = null;
        for (SessionInfo s : sessions) {
            if (s.isRoot() && (best == null || s.updated() > best.updated())) {
                best = s;
            }
        }
        return best;
    }

    /**
     * How many id characters tell every session apart: the longest common prefix between any two ids,
     * plus one, and at least {@link #MIN_SHOWN}.
     */
    public static int shownIdLength(List<SessionInfo> sessions) {
        List<String> ids = new ArrayList<>(sessions.stream().map(SessionInfo::id).toList());
        ids.sort(null);
        int len = MIN_SHOWN;
        for (int i = 1; i < ids.size(); i++) {
            len = Math.max(len, commonPrefix(ids.get(i - 1), ids.get(i)) + 1);
        }
        return len;
    }

    public static String shortId(String id, int length) {
        return id.length() <= length ? id : id.substring(0, length);
    }

    /** One candidate as listed in errors: short id and title. */
    static String describe(SessionInfo s, int idLength) {
        return shortId(s.id(), idLength) + " (" + Markdown.cell(s.title()) + ")";
    }

    private static ToolError ambiguous(String what, List<SessionInfo> matches, List<SessionInfo> all) {
        int len = shownIdLength(all);
        List<String> choices = matches.stream().limit(MAX_LISTED).map(s -> describe(s, len)).toList();
        return new ToolError(what + ": " + String.join(", ", choices)
                + ". Pass more of the id (or the full id) to pick one.");
    }

    private static ToolError notFound(String what, List<SessionInfo> sessions, String instanceName) {
        int len = shownIdLength(sessions);
        List<String> choices = sessions.stream().limit(MAX_LISTED).map(s -> describe(s, len)).toList();
        String more = sessions.size() > MAX_LISTED ? " (newest " + MAX_LISTED + " of " + sessions.size() + ")" : "";
        return new ToolError(what + " Sessions on " + instanceName + more + ": " + String.join(", ", choices)
                + ". Pass one of these ids (or see `list_sessions`).");
    }

    private static int commonPrefix(String a, String b) {
        int n = Math.min(a.length(), b.length());
        int i = 0;
        while (i < n && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return i;
    }
}
