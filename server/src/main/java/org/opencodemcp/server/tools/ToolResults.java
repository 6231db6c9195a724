package org.opencodemcp.server.tools;

import io.modelcontextprotocol.spec.McpSchema;
import java.util.LinkedHashMap;
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

    /**
     * An {@code isError} result: text only, no structured content. Every tool declares an output
     * schema for its success shape, and the TypeScript SDK client (so the MCP Inspector and OpenCode)
     * validates structured content against it even on error results: an {@code {error}} object there
     * turns the message into "-32602 Structured content does not match the tool's output schema".
     * Without structured content it accepts an error result, and the model reads the message.
     */
    public static McpSchema.CallToolResult error(String message) {
        return McpSchema.CallToolResult.builder()
                .addTextContent("Error: " + message)
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
