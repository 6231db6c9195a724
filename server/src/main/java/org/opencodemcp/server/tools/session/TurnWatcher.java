package org.opencodemcp.server.tools.session;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.opencodemcp.server.opencode.EventListener;
import org.opencodemcp.server.opencode.OpenCodeEvent;

/**
 * Follows one prompt's turn on the instance's shared event stream. It is subscribed before the prompt is
 * posted, keeps only events of its session, learns the new user message from the first user
 * {@code message.updated}, and then streams only the text of assistant messages answering it, so
 * concurrent turns elsewhere never mix in. Runs on the HTTP client thread: it only records and signals.
 */
final class TurnWatcher implements EventListener {

    enum Stop { DONE, PERMISSION, QUESTION, STREAM_LOST }

    /** Why the wait ended, with the permission or question request when there is one. */
    record Outcome(Stop stop, JsonNode request) {}

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
    public void onEvent(OpenCodeEvent event) {
        JsonNode p = event.properties();
        String about = event.sessionId();
        if (!sessionId.equals(about)) {
            subSession(event.type(), p, about);
            return;
        }
        switch (event.type()) {
            case "message.updated" -> message(p.path("info"));
            case "message.part.updated" -> part(p.path("part"), p.path("delta"));
            case "message.part.delta" -> {
                if (assistantIds.contains(p.path("messageID").asText()) && "text".equals(p.path("field").asText("text"))
                        && !otherParts.contains(p.path("partID").asText())) {
                    text(p.path("delta").asText(""));
                }
            }
            case "session.status" -> {
                String type = p.path("status").path("type").asText();
                if ("idle".equals(type)) {
                    finishIfStarted();
                } else {
                    started = true;
                }
            }
            case "session.idle" -> finishIfStarted();
            case "session.error" -> {
                String e = MessageView.error(p.path("error"));
                errors.add(e == null ? "session error" : e);
                started = true;
            }
            case "permission.asked" -> outcome.complete(new Outcome(Stop.PERMISSION, p));
            case "question.asked" -> outcome.complete(new Outcome(Stop.QUESTION, p));
            default -> {
                // other session events do not change how the wait ends
            }
        }
    }

    @Override
    public void onClosed(Throwable cause) {
        outcome.complete(new Outcome(Stop.STREAM_LOST, null));
    }

    /**
     * A subagent (task tool) runs in a child session; the parent turn stays busy until it ends, so a
     * permission or question there blocks this turn just the same.
     */
    private void subSession(String type, JsonNode p, String about) {
        if ("session.created".equals(type) && sessionId.equals(p.path("info").path("parentID").asText())) {
            children.add(p.path("info").path("id").asText());
        } else if (about != null && children.contains(about)) {
            if ("permission.asked".equals(type)) {
                outcome.complete(new Outcome(Stop.PERMISSION, p));
            } else if ("question.asked".equals(type)) {
                outcome.complete(new Outcome(Stop.QUESTION, p));
            }
        }
    }

    private void message(JsonNode info) {
        String id = info.path("id").asText();
        if ("user".equals(info.path("role").asText())) {
            if (userMessage.complete(id)) {
                started = true;
            }
        } else if ("assistant".equals(info.path("role").asText()) && id.length() > 0
                && info.path("parentID").asText().equals(userMessageId())) {
            assistantIds.add(id);
        }
    }

    private void part(JsonNode part, JsonNode legacyDelta) {
        if (!assistantIds.contains(part.path("messageID").asText())) {
            return;
        }
        // deltas carry no part type; remember which parts are not text (reasoning) to leave them out
        if (!"text".equals(part.path("type").asText())) {
            otherParts.add(part.path("id").asText());
        } else if (legacyDelta.isTextual()) {
            // servers before SDK 1.4 put the delta on message.part.updated (§6)
            text(legacyDelta.asText());
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
            outcome.complete(new Outcome(Stop.DONE, null));
        }
    }
}
