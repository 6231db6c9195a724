package org.opencodemcp.server.instance;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.opencodemcp.server.opencode.Event;
import org.opencodemcp.server.opencode.Part;
import org.opencodemcp.server.opencode.Permission;
import org.opencodemcp.server.opencode.Question;
import org.opencodemcp.server.opencode.SessionStatus;
import org.opencodemcp.server.opencode.ToolInput;

/**
 * Live state of one instance's sessions, kept current from its typed event stream so that
 * {@code list_instances} and {@code fleet_status} answer without a network call: status (with retry
 * attempt and next try), running tool, last text, todos, and the permissions and questions that wait on
 * a person, with when they were asked. Every map is capped.
 *
 * <p>Read by anyone; written only through {@link SessionActivityWriter} (its mutators are
 * package-private), which the registry's entry for the instance holds.
 */
public final class SessionActivity {
    static final int MAX_SESSIONS = 500;
    static final int MAX_PENDING = 200;
    static final int TEXT_TAIL = 160;

    private final Clock clock;
    private final Map<String, LiveSession> sessions = new ConcurrentHashMap<>();
    private final Map<String, Pending<Permission>> permissions = new ConcurrentHashMap<>();
    private final Map<String, Pending<Question>> questions = new ConcurrentHashMap<>();

    SessionActivity(Clock clock) {
        this.clock = clock;
    }

    /** Seeds from {@code GET /session/status} (non-idle sessions only): a session it leaves out is idle. */
    boolean seedStatusesChanged(Map<String, SessionStatus> map) {
        if (map == null) {
            return false;
        }
        boolean changed = false;
        for (LiveSession s : List.copyOf(sessions.values())) {
            if (!s.status().idle() && !map.containsKey(s.id())) {
                changed |= status(s.id(), SessionStatus.IDLE_STATUS);
            }
        }
        for (var e : map.entrySet()) {
            changed |= status(e.getKey(), e.getValue());
        }
        return changed;
    }

    /**
     * Seeds pending permissions from {@code GET /permission}, the whole truth when asked at {@code askedFrom}:
     * ones it leaves out were answered while we were not listening (ones asked since stay); known ones keep their time.
     */
    boolean seedPermissions(List<Permission> pending, Instant askedFrom) {
        java.util.Set<String> ids = new java.util.HashSet<>();
        pending.forEach(p -> ids.add(p.id()));
        boolean changed = permissions.values().removeIf(p -> !ids.contains(p.request().id()) && p.askedAt().isBefore(askedFrom));
        for (Permission p : pending) {
            if (p.id() != null && permissions.size() < MAX_PENDING) {
                changed |= permissions.putIfAbsent(p.id(), new Pending<>(p, clock.instant())) == null;
            }
        }
        return changed;
    }

    /** Seeds pending questions from {@code GET /question}, like {@link #seedPermissions}. */
    boolean seedQuestions(List<Question> pending, Instant askedFrom) {
        java.util.Set<String> ids = new java.util.HashSet<>();
        pending.forEach(q -> ids.add(q.id()));
        boolean changed = questions.values().removeIf(q -> !ids.contains(q.request().id()) && q.askedAt().isBefore(askedFrom));
        for (Question q : pending) {
            if (q.id() != null && questions.size() < MAX_PENDING) {
                changed |= questions.putIfAbsent(q.id(), new Pending<>(q, clock.instant())) == null;
            }
        }
        return changed;
    }

    /** Applies one event; returns true when something shown to the assistant changed. */
    boolean apply(Event event) {
        Instant now = clock.instant();
        if (event instanceof Event.StatusChanged e) {
            return status(e.sessionId(), e.status());
        } else if (event instanceof Event.Idle e) {
            return status(e.sessionId(), SessionStatus.IDLE_STATUS);
        } else if (event instanceof Event.SessionChanged e) {
            return changed(e, now);
        } else if (event instanceof Event.PermissionAsked e) {
            return e.permission().id() != null && permissions.size() < MAX_PENDING
                    && permissions.put(e.permission().id(), new Pending<>(e.permission(), now)) == null;
        } else if (event instanceof Event.PermissionReplied e) {
            return e.requestId() != null && permissions.remove(e.requestId()) != null;
        } else if (event instanceof Event.QuestionAsked e) {
            return e.question().id() != null && questions.size() < MAX_PENDING
                    && questions.put(e.question().id(), new Pending<>(e.question(), now)) == null;
        } else if (event instanceof Event.QuestionReplied e) {
            return e.requestId() != null && questions.remove(e.requestId()) != null;
        } else if (event instanceof Event.QuestionRejected e) {
            return e.requestId() != null && questions.remove(e.requestId()) != null;
        } else if (event instanceof Event.TodoUpdated e) {
            return update(e.sessionId(), s -> s.withTodos(e.todos(), now));
        } else if (event instanceof Event.PartUpdated e) {
            return part(e.part(), now);
        }
        return false;
    }

    private boolean changed(Event.SessionChanged e, Instant now) {
        if (e.sessionId() == null) {
            return false;
        }
        if (e.change() == Event.Change.DELETED) {
            permissions.values().removeIf(p -> e.sessionId().equals(p.request().sessionId()));
            questions.values().removeIf(q -> e.sessionId().equals(q.request().sessionId()));
            return sessions.remove(e.sessionId()) != null;
        }
        return e.session() != null && update(e.sessionId(), s -> s.withInfo(e.session(), now));
    }

    private boolean part(Part part, Instant now) {
        if (part.sessionId() == null) {
            return false;
        }
        if (part instanceof Part.Tool t) {
            boolean running = Part.TOOL_RUNNING.equals(t.status()) || Part.TOOL_PENDING.equals(t.status());
            String arg = ToolInput.brief(t.input(), 80);
            String label = running ? t.tool() + (arg == null ? "" : " `" + arg.replace('`', '\'') + "`") : null;
            return update(part.sessionId(), s -> running || s.runningTool() != null && s.runningTool().startsWith(t.tool())
                    ? s.withTool(label, now) : s);
        }
        if (part instanceof Part.Text t && !t.synthetic() && !t.ignored() && !t.text().isBlank()) {
            String text = t.text().strip();
            String tail = text.length() <= TEXT_TAIL ? text : "…" + text.substring(text.length() - TEXT_TAIL);
            return update(part.sessionId(), s -> s.withText(tail, now));
        }
        return false;
    }

    private boolean status(String sessionId, SessionStatus status) {
        if (sessionId == null) {
            return false;
        }
        Instant now = clock.instant();
        LiveSession before = sessions.get(sessionId);
        if (before == null && status.idle()) {
            return false;
        }
        return update(sessionId, s -> s.withStatus(status, now));
    }

    /** Applies {@code change} to a session's entry (made if needed); true when the entry changed. */
    private boolean update(String sessionId, UnaryOperator<LiveSession> change) {
        if (sessionId == null) {
            return false;
        }
        Instant now = clock.instant();
        LiveSession[] old = new LiveSession[1];
        LiveSession next = sessions.compute(sessionId, (id, s) -> {
            old[0] = s;
            return change.apply(s == null ? LiveSession.fresh(id, now) : s);
        });
        if (sessions.size() > MAX_SESSIONS) {
            evictOldestIdle();
        }
        return old[0] == null || !sameShown(old[0], next);
    }

    private static boolean sameShown(LiveSession a, LiveSession b) {
        return a.status().equals(b.status()) && java.util.Objects.equals(a.runningTool(), b.runningTool())
                && java.util.Objects.equals(a.lastText(), b.lastText()) && a.todos().equals(b.todos())
                && java.util.Objects.equals(a.info(), b.info());
    }

    private void evictOldestIdle() {
        sessions.values().stream().filter(s -> s.status().idle()).min(Comparator.comparing(LiveSession::touched))
                .ifPresent(s -> sessions.remove(s.id()));
    }

    /** Sessions busy or retrying now. */
    public int busySessions() {
        int n = 0;
        for (LiveSession s : sessions.values()) {
            if (!s.status().idle()) {
                n++;
            }
        }
        return n;
    }

    /** Status of every non-idle session. */
    public Map<String, SessionStatus> statuses() {
        Map<String, SessionStatus> out = new LinkedHashMap<>();
        sessions.values().forEach(s -> {
            if (!s.status().idle()) {
                out.put(s.id(), s.status());
            }
        });
        return out;
    }

    /** Every session the stream told us about (idle ones too, up to the cap). */
    public List<LiveSession> sessions() {
        return List.copyOf(sessions.values());
    }

    public LiveSession session(String sessionId) {
        return sessionId == null ? null : sessions.get(sessionId);
    }

    /** Pending permissions, oldest first. */
    public List<Pending<Permission>> permissions() {
        List<Pending<Permission>> out = new ArrayList<>(permissions.values());
        out.sort(Comparator.comparing(Pending::askedAt));
        return out;
    }

    /** Pending questions, oldest first. */
    public List<Pending<Question>> questions() {
        List<Pending<Question>> out = new ArrayList<>(questions.values());
        out.sort(Comparator.comparing(Pending::askedAt));
        return out;
    }

    public Map<String, Permission> pendingPermissions() {
        Map<String, Permission> out = new LinkedHashMap<>();
        permissions().forEach(p -> out.put(p.request().id(), p.request()));
        return out;
    }

    void clear() {
        sessions.clear();
        permissions.clear();
        questions.clear();
    }
}
