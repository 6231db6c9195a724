package org.opencodemcp.server.opencode;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Turns an event's type and properties into an {@link Event}; never throws: what does not fit becomes {@link Event.Other}. */
public final class EventDecoder {
    private EventDecoder() {}

    public static Event decode(String type, JsonNode p) {
        try {
            Event e = known(type, p);
            return e != null ? e : new Event.Other(type, sessionOf(p));
        } catch (RuntimeException e) {
            return new Event.Other(type, sessionOf(p));
        }
    }

    private static Event known(String type, JsonNode p) {
        String session = sessionOf(p);
        return switch (type) {
            case "session.status" -> new Event.StatusChanged(session, SessionStatus.from(p.get("status")));
            case "session.idle" -> new Event.Idle(session);
            case "session.error" -> new Event.SessionError(session, ErrorInfo.from(p.get("error")));
            case "session.created" -> changed(session, Event.Change.CREATED, p);
            case "session.updated" -> changed(session, Event.Change.UPDATED, p);
            case "session.deleted" -> changed(session, Event.Change.DELETED, p);
            case "message.updated" -> Wire.object(p, "info") == null ? null
                    : new Event.MessageUpdated(session, MessageInfo.from(p.get("info")));
            case "message.part.updated" -> Wire.object(p, "part") == null ? null
                    : new Event.PartUpdated(session, Part.from(p.get("part")), Wire.text(p, "delta"));
            case "message.part.delta" -> new Event.PartDelta(session, Wire.text(p, "messageID"), Wire.text(p, "partID"),
                    orText(Wire.text(p, "field")), orEmpty(Wire.text(p, "delta")));
            case "permission.asked" -> Wire.text(p, "id") == null ? null : new Event.PermissionAsked(session, Permission.from(p));
            case "permission.replied" -> new Event.PermissionReplied(session, first(p, "requestID", "permissionID", "id"),
                    first(p, "reply", "response"));
            case "question.asked" -> Wire.text(p, "id") == null || !p.path("questions").isArray() ? null
                    : new Event.QuestionAsked(session, Question.from(p));
            case "question.replied" -> new Event.QuestionReplied(session, first(p, "requestID", "id"), answers(p.get("answers")));
            case "question.rejected" -> new Event.QuestionRejected(session, first(p, "requestID", "id"));
            case "todo.updated" -> new Event.TodoUpdated(session, Todo.list(p.get("todos")));
            case "file.edited" -> new Event.FileEdited(Wire.text(p, "file"));
            case "server.heartbeat" -> new Event.Heartbeat();
            default -> null;
        };
    }

    private static Event changed(String session, Event.Change change, JsonNode p) {
        JsonNode info = Wire.object(p, "info");
        SessionInfo s = info == null ? null : SessionInfo.from(info);
        return new Event.SessionChanged(session != null ? session : s == null ? null : s.id(), change, s);
    }

    /** Most session events carry {@code sessionID}; message and part events may carry it only inside. */
    static String sessionOf(JsonNode p) {
        if (p == null) {
            return null;
        }
        String id = Wire.text(p, "sessionID");
        if (id != null) {
            return id;
        }
        id = Wire.text(Wire.object(p, "info"), "sessionID");
        return id != null ? id : Wire.text(Wire.object(p, "part"), "sessionID");
    }

    private static String first(JsonNode p, String... fields) {
        for (String f : fields) {
            String v = Wire.text(p, f);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static List<List<String>> answers(JsonNode arr) {
        List<List<String>> out = new ArrayList<>();
        if (arr != null && arr.isArray()) {
            arr.forEach(a -> {
                List<String> one = new ArrayList<>();
                if (a.isArray()) {
                    a.forEach(v -> one.add(v.asText()));
                }
                out.add(List.copyOf(one));
            });
        }
        return List.copyOf(out);
    }

    private static String orText(String field) {
        return field == null ? "text" : field;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
