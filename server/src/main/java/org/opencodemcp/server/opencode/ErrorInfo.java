package org.opencodemcp.server.opencode;

import com.fasterxml.jackson.databind.JsonNode;

/** An OpenCode error object ({@code {name, data:{message}}}) on a message or a {@code session.error} event. */
public record ErrorInfo(String name, String message) {

    public static ErrorInfo from(JsonNode e) {
        if (e == null || !e.isObject()) {
            return null;
        }
        String name = Wire.text(e, "name");
        return new ErrorInfo(name == null ? "Error" : name, Wire.text(Wire.object(e, "data"), "message"));
    }

    /** {@code Name: message}, or the name alone. */
    public String line() {
        return message == null || message.isEmpty() ? name : name + ": " + message;
    }
}
