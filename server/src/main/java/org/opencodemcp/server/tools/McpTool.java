package org.opencodemcp.server.tools;

import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;

/** One MCP tool: its declaration (with input and output schema) and its handler. */
public interface McpTool {

    McpSchema.Tool definition();

    /**
     * Runs the tool. Throw {@link ToolError} (or let an OpenCode client failure escape) for an
     * {@code isError} result; {@link ToolCatalog} turns both into readable errors.
     */
    McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request);
}
