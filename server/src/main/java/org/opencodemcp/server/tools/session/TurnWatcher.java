package org.opencodemcp.server.tools.session;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.opencodemcp.server.opencode.Event;
import org.opencodemcp.server.opencode.EventListener;
import org.opencodemcp.server.opencode.MessageInfo;
import org.opencodemcp.server.opencode.OpenCodeEvent;
import org.opencodemcp.server.opencode.Part;
import org.opencodemcp.server.opencode.Permission;
import org.opencodemcp.server.opencode.Question;

/**
 * Follows one prompt's turn on the instance's shared event stream. It is subscribed before the prompt is
 * posted, keeps only events of its session, learns the new user message from the first user
 * {@code message.updated}, and then streams only the text of assistant messages answering it, so
 * concurrent turns elsewhere never mix in. Runs on the HTTP client thread: it only records and signals.
 */
final class TurnWatcher implements EventListener {

    enum Stop { DONE, PERMISSION, QUESTION, STREAM_LOST }

    /** Why the wait ended, with the permission or question request when there is one. */
    record Outcome(Stop stop, Permission permission, Question question) {
        static Outcome of(Stop stop) {
            return new Outcome(stop, null, null);
        }
    }

    private final String sessionId;
    private final Consumer<String> textSink;
    private final Set<String> assistantIds = ConcurrentHashMap.newKeySet();
    private final Set<String> otherParts = ConcurrentHashMap.newKeySet();
    private final Set<String> children = ConcurrentHashMap.newKeySet();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final StringBuilder streamed = new StringBuilder();
    private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    private final CompletableFuture<String> userMessage = new CompletableFuture<>();
    /**
     * Set once this turn visibly started (our user message, busy, or an error). An idle event before that can
     * only be a late one from the previous turn, so it must not end this wait.
     */
    private volatile boolean started;

    TurnWatcher(String sessionId, Consumer<String> textSink) {
        this.sessionId = sessionId;
        this.textSink = textSink;
    }

    CompletableFuture<Outcome> outcome() {
        return outcome;
    }

    /** Completes with the id of the user message the prompt created. */
    CompletableFuture<String> userMessage() {
        return userMessage;
    }

    String userMessageId() {
        return userMessage.getNow(null);
    }

    List<String> errors() {
        return List.copyOf(errors);
    }

    synchronized String streamedText() {
        return streamed.toString();
    }

    @Override
    public void onEvent(OpenCodeEvent wire) {
        Event event = wire.typed();
        if (!sessionId.equals(event.sessionId())) {
            subSession(event);
            return;
        }
        if (event instanceof Event.MessageUpdated e) {
            message(e.message());
        } else if (event instanceof Event.PartUpdated e) {
            part(e.part(), e.legacyDelta());
        } else if (event instanceof Event.PartDelta e) {
            if (assistantIds.contains(e.messageId()) && "text".equals(e.field()) && !otherParts.contains(e.partId())) {
                text(e.delta());
            }
        } else if (event instanceof Event.StatusChanged e) {
            if (e.status().idle()) {
                finishIfStarted();
            } else {
                started = true;
            }
        } else if (event instanceof Event.Idle) {
            finishIfStarted();
        } else if (event instanceof Event.SessionError e) {
            errors.add(e.error() == null ? "session error" : e.error().line());
            started = true;
        } else {
            blocked(event);
        }
    }

    @Override
    public void onClosed(Throwable cause) {
        outcome.complete(Outcome.of(Stop.STREAM_LOST));
    }

    /** A permission or question in this session (or a child) pauses the turn: the wait ends at once. */
    private void blocked(Event event) {
        if (event instanceof Event.PermissionAsked e) {
            outcome.complete(new Outcome(Stop.PERMISSION, e.permission(), null));
        } else if (event instanceof Event.QuestionAsked e) {
            outcome.complete(new Outcome(Stop.QUESTION, null, e.question()));
        }
    }

    /**
     * A subagent (task tool) runs in a child session; the parent turn stays busy until it ends, so a
     * permission or question there blocks this turn just the same.
     */
    private void subSession(Event event) {
        if (event instanceof Event.SessionChanged e && e.change() == Event.Change.CREATED && e.session() != null
                && sessionId.equals(e.session().parentId())) {
            children.add(e.session().id());
        } else if (event.sessionId() != null && children.contains(event.sessionId())) {
            blocked(event);
        }
    }

    private void message(MessageInfo info) {
        String id = info.id();
        if (info.user()) {
            if (id != null && userMessage.complete(id)) {
                started = true;
            }
        } else if (info.assistant() && id != null && !id.isEmpty() && info.parentId() != null
                && info.parentId().equals(userMessageId())) {
            assistantIds.add(id);
        }
    }

    private void part(Part part, String legacyDelta) {
        if (part.messageId() == null || !assistantIds.contains(part.messageId())) {
            return;
        }
        // deltas carry no part type; remember which parts are not text (reasoning) to leave them out
        if (!(part instanceof Part.Text)) {
            if (part.id() != null) {
                otherParts.add(part.id());
            }
        } else if (legacyDelta != null) {
            // servers before SDK 1.4 put the delta on message.part.updated, later ones on message.part.delta
            text(legacyDelta);
        }
    }

    private void text(String delta) {
        if (delta.isEmpty()) {
            return;
        }
        synchronized (this) {
            streamed.append(delta);
        }
        textSink.accept(delta);
    }

    private void finishIfStarted() {
        if (started) {
            outcome.complete(Outcome.of(Stop.DONE));
        }
    }
}
