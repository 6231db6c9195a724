package org.opencodemcp.server.tools;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/** JSON Schemas for tool declarations, written as JSON text (easier to read than nested maps). */
public final class Schemas {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Schemas() {}

    public static Map<String, Object> parse(String schemaJson) {
        try {
            return JSON.readValue(schemaJson, new TypeReference<Map<String, Object>>() {});
        } catch (Exception e) {
            throw new IllegalArgumentException("bad schema literal: " + e.getMessage(), e);
        }
    }

    /** Input schema with no properties. */
    public static Map<String, Object> noInput() {
        return parse("{\"type\":\"object\",\"properties\":{},\"additionalProperties\":false}");
    }
}
