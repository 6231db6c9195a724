package org.opencodemcp.server.tools.session;

import org.opencodemcp.server.opencode.Permission;
import org.opencodemcp.server.opencode.Question;

/** The one-line texts of the fleet's log messages for a permission or a question that was just asked. */
public final class WaitNotices {
    private WaitNotices() {}

    /**
     * @param title      the session's title from live state, or null
     * @param replyCalls whether the profile has the reply tools (the simple one has not): then the exact call follows
     */
    public static String permission(String instance, Permission p, String title, boolean replyCalls) {
        return instance + " · " + session(p.sessionId(), title) + " asks " + PermissionView.what(p)
                + (replyCalls ? "; answer with " + PermissionView.replyCall(p, instance) : "");
    }

    public static String question(String instance, Question q, String title, boolean replyCalls) {
        return instance + " · " + session(q.sessionId(), title) + " asks " + FleetItems.questionLine(q)
                + (replyCalls ? "; answer with " + QuestionView.replyCall(q, instance) : "");
    }

    private static String session(String id, String title) {
        return "session " + (id == null ? "?" : id) + (title == null || title.isBlank() ? "" : " (" + title + ")");
    }
}
