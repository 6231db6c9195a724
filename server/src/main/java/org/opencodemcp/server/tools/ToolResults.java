package org.opencodemcp.server.tools;

import io.modelcontextprotocol.spec.McpSchema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds tool results: readable Markdown for the assistant plus the matching structured content. */
public final class ToolResults {
    private ToolResults() {}

    public static McpSchema.CallToolResult success(String markdown, Object structured) {
        return McpSchema.CallToolResult.builder()
                .addTextContent(markdown)
                .structuredContent(structured)
                .isError(false)
                .build();
    }

    /** An {@code isError} result; the structured part is {@code {error, candidates?}}. */
    public static McpSchema.CallToolResult error(String message, List<String> candidates) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("error", message);
        if (candidates != null && !candidates.isEmpty()) {
            s.put("candidates", candidates);
        }
        return McpSchema.CallToolResult.builder()
                .addTextContent("Error: " + message)
                .structuredContent(s)
                .isError(true)
                .build();
    }

    /** A map that drops null values, so optional fields are absent rather than null in structured output. */
    public static Map<String, Object> object() {
        return new LinkedHashMap<>() {
            private static final long serialVersionUID = 1L;

            @Override
            public Object put(String key, Object value) {
                return value == null ? remove(key) : super.put(key, value);
            }
        };
    }
}
