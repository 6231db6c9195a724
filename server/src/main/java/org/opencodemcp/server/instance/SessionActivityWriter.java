package org.opencodemcp.server.instance;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.opencodemcp.server.opencode.Event;
import org.opencodemcp.server.opencode.Permission;
import org.opencodemcp.server.opencode.Question;
import org.opencodemcp.server.opencode.SessionStatus;

/**
 * The one way to change an instance's {@link SessionActivity}: whoever holds this object (the
 * registry's entry for the instance) feeds it decoded events and the answers of the seeding calls;
 * everyone else gets the activity itself, whose mutators are package-private, and can only read it.
 * Each method returns true when something shown to the assistant changed.
 */
public final class SessionActivityWriter {
    private final SessionActivity activity;

    public SessionActivityWriter(Clock clock) {
        this.activity = new SessionActivity(clock);
    }

    /** The activity written here, for readers. */
    public SessionActivity activity() {
        return activity;
    }

    /** One event of the instance's stream. */
    public boolean event(Event event) {
        return activity.apply(event);
    }

    /** The answer of {@code GET /session/status}: a session it leaves out is idle. */
    public boolean statuses(Map<String, SessionStatus> nonIdle) {
        return activity.seedStatusesChanged(nonIdle);
    }

    /** The answer of {@code GET /permission}, asked at {@code askedFrom}. */
    public boolean permissions(List<Permission> pending, Instant askedFrom) {
        return activity.seedPermissions(pending, askedFrom);
    }

    /** The answer of {@code GET /question}, asked at {@code askedFrom}. */
    public boolean questions(List<Question> pending, Instant askedFrom) {
        return activity.seedQuestions(pending, askedFrom);
    }

    /** Forgets everything: the instance's target changed or went away. */
    public void clear() {
        activity.clear();
    }
}
