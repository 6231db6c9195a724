package org.opencodemcp.server.opencode;

import java.util.List;

/**
 * The OpenCode events the server acts on, decoded once where the stream arrives ({@link EventDecoder}).
 * Anything else, or a known type whose body does not fit, is {@link Other}: kept, never an error.
 */
public sealed interface Event {

    /** The session the event is about, or null. */
    String sessionId();

    /** {@code session.status}. */
    record StatusChanged(String sessionId, SessionStatus status) implements Event {}

    /** {@code session.idle}: the turn finished. */
    record Idle(String sessionId) implements Event {}

    /** {@code session.error}; the error may be null. */
    record SessionError(String sessionId, ErrorInfo error) implements Event {}

    /** {@code session.created}, {@code session.updated}, {@code session.deleted}. */
    record SessionChanged(String sessionId, Change change, SessionInfo session) implements Event {}

    enum Change { CREATED, UPDATED, DELETED }

    /** {@code message.updated}. */
    record MessageUpdated(String sessionId, MessageInfo message) implements Event {}

    /** {@code message.part.updated}: the full part; {@code legacyDelta} is the text delta servers before SDK 1.4 sent here (later ones send message.part.delta). */
    record PartUpdated(String sessionId, Part part, String legacyDelta) implements Event {}

    /** {@code message.part.delta}: text to append to a part's {@code field}. */
    record PartDelta(String sessionId, String messageId, String partId, String field, String delta) implements Event {}

    /** {@code permission.asked}. */
    record PermissionAsked(String sessionId, Permission permission) implements Event {}

    /** {@code permission.replied} ({@code requestID}; older servers {@code permissionID}). */
    record PermissionReplied(String sessionId, String requestId, String reply) implements Event {}

    /** {@code question.asked}. */
    record QuestionAsked(String sessionId, Question question) implements Event {}

    /** {@code question.replied}: one list of chosen labels per question. */
    record QuestionReplied(String sessionId, String requestId, List<List<String>> answers) implements Event {}

    /** {@code question.rejected}: the tool ends in error and the turn ends. */
    record QuestionRejected(String sessionId, String requestId) implements Event {}

    /** {@code todo.updated}: the whole list each time. */
    record TodoUpdated(String sessionId, List<Todo> todos) implements Event {}

    /** {@code file.edited}. */
    record FileEdited(String file) implements Event {
        @Override
        public String sessionId() {
            return null;
        }
    }

    /** {@code server.heartbeat}, about every 10 s. */
    record Heartbeat() implements Event {
        @Override
        public String sessionId() {
            return null;
        }
    }

    /** Any other event: its type and, when it names one, its session. */
    record Other(String type, String sessionId) implements Event {}
}
