package org.opencodemcp.server.opencode;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Tolerant field reads for the typed model: a missing or mistyped field is absent, never an error. */
final class Wire {
    private Wire() {}

    static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() || v.isContainerNode() ? null : v.asText();
    }

    static long number(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isNumber() ? v.asLong() : 0;
    }

    static Double decimal(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isNumber() ? v.asDouble() : null;
    }

    static boolean flag(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.asBoolean(false);
    }

    static JsonNode object(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isObject() ? v : null;
    }

    static List<String> strings(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        List<String> out = new ArrayList<>();
        if (v != null && v.isArray()) {
            v.forEach(s -> {
                if (s.isValueNode() && !s.isNull()) {
                    out.add(s.asText());
                }
            });
        }
        return List.copyOf(out);
    }

    /** The object elements of an array decoded one by one. */
    static <T> List<T> elements(JsonNode arr, java.util.function.Function<JsonNode, T> decode) {
        List<T> out = new ArrayList<>();
        if (arr != null && arr.isArray()) {
            arr.forEach(e -> {
                if (e.isObject()) {
                    out.add(decode.apply(e));
                }
            });
        }
        return List.copyOf(out);
    }

    /** The elements of an array field decoded one by one; elements that are not objects are left out. */
    static <T> List<T> objects(JsonNode node, String field, java.util.function.Function<JsonNode, T> decode) {
        JsonNode v = node == null ? null : node.get(field);
        List<T> out = new ArrayList<>();
        if (v != null && v.isArray()) {
            v.forEach(e -> {
                if (e.isObject()) {
                    out.add(decode.apply(e));
                }
            });
        }
        return List.copyOf(out);
    }
}
