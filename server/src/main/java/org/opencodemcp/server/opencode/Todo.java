package org.opencodemcp.server.opencode;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** One item of a session's todo list ({@code todowrite}, {@code todo.updated}, {@code GET /session/{id}/todo}). */
public record Todo(String content, String status, String priority) {
    public static final String PENDING = "pending";
    public static final String IN_PROGRESS = "in_progress";
    public static final String COMPLETED = "completed";
    public static final String CANCELLED = "cancelled";

    public static Todo from(JsonNode t) {
        return new Todo(Wire.text(t, "content"), Wire.text(t, "status"), Wire.text(t, "priority"));
    }

    public static List<Todo> list(JsonNode arr) {
        if (arr == null || !arr.isArray()) {
            return List.of();
        }
        java.util.ArrayList<Todo> out = new java.util.ArrayList<>();
        arr.forEach(t -> {
            if (t.isObject()) {
                out.add(from(t));
            }
        });
        return List.copyOf(out);
    }

    public boolean done() {
        return COMPLETED.equals(status) || CANCELLED.equals(status);
    }

    /** {@code 3/7 done}, or null for an empty list. */
    public static String progress(List<Todo> todos) {
        if (todos == null || todos.isEmpty()) {
            return null;
        }
        return todos.stream().filter(Todo::done).count() + "/" + todos.size() + " done";
    }
}
