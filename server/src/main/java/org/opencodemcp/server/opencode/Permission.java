package org.opencodemcp.server.opencode;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** A pending permission request ({@code permission.asked} properties, {@code GET /permission} item). */
public record Permission(String id, String sessionId, String permission, List<String> patterns, List<String> always,
        String messageId, String callId) {

    /** {@code GET /permission}. */
    public static List<Permission> list(JsonNode arr) {
        return Wire.elements(arr, Permission::from);
    }

    public static Permission from(JsonNode p) {
        JsonNode tool = Wire.object(p, "tool");
        return new Permission(Wire.text(p, "id"), Wire.text(p, "sessionID"), Wire.text(p, "permission"),
                Wire.strings(p, "patterns"), Wire.strings(p, "always"), Wire.text(tool, "messageID"), Wire.text(tool, "callID"));
    }
}
