package org.opencodemcp.server.tools.session;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.opencodemcp.server.instance.Instance;
import org.opencodemcp.server.instance.LiveSession;
import org.opencodemcp.server.instance.Pending;
import org.opencodemcp.server.instance.SessionActivity;
import org.opencodemcp.server.opencode.Permission;
import org.opencodemcp.server.opencode.Question;
import org.opencodemcp.server.opencode.Todo;
import org.opencodemcp.server.tools.Markdown;
import org.opencodemcp.server.tools.Times;
import org.opencodemcp.server.tools.ToolResults;

/**
 * One row of {@code fleet_status}: something that waits on a person (a permission, a question) or a session
 * at work, read from an instance's live state only. Sorted so the longest waiting comes first.
 */
record FleetItems(String kind, String instance, String sessionId, String title, Instant since, String doing,
        String todos, String next, Map<String, Object> request) {
    static final String PERMISSION = "permission";
    static final String QUESTION = "question";

    /** The items of one online instance; waits first-class, sessions blocked by one are not repeated. */
    static List<FleetItems> of(Instance instance, boolean includeIdle) {
        SessionActivity a = instance.activity();
        String name = instance.name();
        List<FleetItems> out = new ArrayList<>();
        Set<String> blocked = new HashSet<>();
        for (Pending<Permission> p : a.permissions()) {
            Permission r = p.request();
            blocked.add(r.sessionId());
            LiveSession s = a.session(r.sessionId());
            out.add(new FleetItems(PERMISSION, name, r.sessionId(), title(s), p.askedAt(),
                    "asks " + PermissionView.what(r), progress(s), PermissionView.replyCall(r, name), PermissionView.structured(r)));
        }
        for (Pending<Question> q : a.questions()) {
            Question r = q.request();
            blocked.add(r.sessionId());
            LiveSession s = a.session(r.sessionId());
            out.add(new FleetItems(QUESTION, name, r.sessionId(), title(s), q.askedAt(), "asks " + questionLine(r),
                    progress(s), QuestionView.replyCall(r, name), QuestionView.structured(r)));
        }
        for (LiveSession s : a.sessions()) {
            if (blocked.contains(s.id()) || s.status().idle() && !includeIdle) {
                continue;
            }
            out.add(new FleetItems(s.status().type(), name, s.id(), title(s), s.since(), doing(s), progress(s),
                    "get_session {\"instance\":\"" + name + "\",\"session\":\"" + s.id() + "\"}", null));
        }
        return out;
    }

    static final Comparator<FleetItems> LONGEST_WAITING_FIRST = Comparator
            .comparing((FleetItems i) -> !isWait(i.kind()))
            .thenComparing(FleetItems::since);

    static boolean isWait(String kind) {
        return PERMISSION.equals(kind) || QUESTION.equals(kind);
    }

    private static String title(LiveSession s) {
        return s == null ? null : s.title();
    }

    private static String progress(LiveSession s) {
        return s == null ? null : Todo.progress(s.todos());
    }

    private static String doing(LiveSession s) {
        StringBuilder d = new StringBuilder();
        if (s.status().retrying()) {
            d.append(SessionRows.statusText(s.status()));
        }
        if (s.runningTool() != null) {
            d.append(d.length() > 0 ? "; " : "").append("running ").append(s.runningTool());
        } else if (s.lastText() != null) {
            d.append(d.length() > 0 ? "; " : "").append("last said \"").append(s.lastText()).append('"');
        }
        return d.length() == 0 ? null : d.toString();
    }

    static String questionLine(Question q) {
        List<String> parts = new ArrayList<>();
        for (Question.Item i : q.questions()) {
            parts.add((i.question() == null ? "?" : i.question()) + " [" + String.join(" | ",
                    i.options().stream().map(o -> o.label() == null ? "?" : o.label()).toList()) + "]");
        }
        return (parts.size() == 1 ? "a question: " : parts.size() + " questions: ") + String.join("; ", parts);
    }

    Map<String, Object> structured(Instant now) {
        Map<String, Object> m = ToolResults.object();
        m.put("kind", kind);
        m.put("instance", instance);
        m.put("sessionId", sessionId);
        m.put("sessionTitle", title);
        m.put("since", Times.iso(since));
        m.put("waitingSeconds", Math.max(0, Duration.between(since, now).toSeconds()));
        m.put("doing", doing);
        m.put("todoProgress", todos);
        m.put("next", next);
        m.put(PERMISSION.equals(kind) ? "permission" : "question", request);
        return m;
    }

    String markdown(int n, Instant now) {
        StringBuilder md = new StringBuilder().append(n).append(". **").append(kind).append("** · ")
                .append(Markdown.cell(instance)).append(" · session ").append(Markdown.code(sessionId == null ? "?" : sessionId));
        if (title != null) {
            md.append(" (").append(Markdown.cell(title)).append(')');
        }
        md.append(isWait(kind) ? " · waiting " : " · for ").append(age(Duration.between(since, now)));
        if (todos != null) {
            md.append(" · todos ").append(todos);
        }
        if (doing != null) {
            md.append("\n   ").append(Markdown.cell(doing));
        }
        md.append("\n   next: ").append(Markdown.code(next));
        return md.toString();
    }

    static String age(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return s < 120 ? s + " s" : s < 7200 ? s / 60 + " min" : s / 3600 + " h";
    }
}
