package org.opencodemcp.server.opencode;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** The argument of a tool call a reader recognises (command, file, pattern, url), else compact JSON; one short line. */
public final class ToolInput {
    private static final List<String> KEYS = List.of("command", "filePath", "path", "pattern", "url", "query", "description", "prompt");

    private ToolInput() {}

    /** Null for an empty or missing input. */
    public static String brief(JsonNode input, int max) {
        if (input == null || !input.isObject() || input.isEmpty()) {
            return null;
        }
        for (String key : KEYS) {
            JsonNode v = input.get(key);
            if (v != null && v.isTextual()) {
                return cut(v.asText(), max);
            }
        }
        return cut(input.toString(), max);
    }

    /** Whitespace folded, cut to {@code max} characters with "...". */
    public static String cut(String s, int max) {
        String one = s.replaceAll("\\s+", " ").strip();
        return one.length() <= max ? one : one.substring(0, Math.max(0, max - 3)) + "...";
    }
}
