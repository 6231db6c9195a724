package org.opencodemcp.server.tools.jobs;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/** A stored JSON item (a permission or question) back to an object for structured content. */
final class Json {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Json() {}

    static Map<String, Object> object(String text) {
        try {
            return JSON.readValue(text, new TypeReference<Map<String, Object>>() {});
        } catch (Exception e) {
            return Map.of("raw", text);
        }
    }
}
