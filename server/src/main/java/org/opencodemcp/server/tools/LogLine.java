package org.opencodemcp.server.tools;

import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.LoggingLevel;

/** One fleet log message, before it is addressed to a client. */
public record LogLine(LoggingLevel level, String text) {
    /** The {@code logger} field of every fleet message. */
    public static final String LOGGER = "opencode-mcp.fleet";
    /** Longest text sent; a question's wording can be long. */
    static final int MAX_CHARS = 1000;

    public LogLine {
        text = text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS - 1) + "…" : text;
    }

    McpSchema.LoggingMessageNotification notification() {
        return new McpSchema.LoggingMessageNotification(level, LOGGER, text);
    }
}
