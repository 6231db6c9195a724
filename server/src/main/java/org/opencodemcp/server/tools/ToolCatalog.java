package org.opencodemcp.server.tools;

import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import org.opencodemcp.server.opencode.OpenCodeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns {@link McpTool}s into SDK tool specifications, mapping every failure to an {@code isError}
 * result that tells the assistant what to do (the SDK would otherwise answer a JSON-RPC error), and
 * running each call as a {@link Cancellations} scope so that the client can cancel it.
 */
public final class ToolCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(ToolCatalog.class);

    private ToolCatalog() {}

    /** @param beforeCall runs before each call (waits for the registry's first look; at once after that) */
    public static List<McpServerFeatures.SyncToolSpecification> specifications(List<McpTool> tools, Cancellations cancellations,
            Runnable beforeCall) {
        return tools.stream().map(t -> specification(t, cancellations, beforeCall)).toList();
    }

    private static McpServerFeatures.SyncToolSpecification specification(McpTool tool, Cancellations cancellations,
            Runnable beforeCall) {
        String name = tool.definition().name();
        return McpServerFeatures.SyncToolSpecification.builder()
                .tool(tool.definition())
                .callHandler((exchange, request) -> {
                    // the transport tagged the call with its key; a notifications/cancelled for it interrupts this thread
                    Object key = request.meta() == null ? null : request.meta().get(Cancellations.META_KEY);
                    try (Cancellations.Scope scope = cancellations.enter(key instanceof String k ? k : null, name)) {
                        beforeCall.run();
                        return call(tool, name, exchange, request);
                    }
                })
                .build();
    }

    private static McpSchema.CallToolResult call(McpTool tool, String name, McpSyncServerExchange exchange,
            McpSchema.CallToolRequest request) {
        try {
            return tool.call(exchange, request);
        } catch (ToolError e) {
            return ToolResults.error(e.getMessage());
        } catch (Cancellations.Cancelled e) {
            return ToolResults.error("The client cancelled this call; the turn, if any, goes on."); // dropped by the transport
        } catch (OpenCodeException e) {
            return ToolResults.error(openCodeAdvice(e));
        } catch (RuntimeException e) {
            LOG.error("tool {} failed", name, e);
            return ToolResults.error("internal error in " + name + ": " + e
                    + ". This is a bug in opencode-mcp; the server log has the details.");
        }
    }

    private static String openCodeAdvice(OpenCodeException e) {
        return switch (e.kind()) {
            case UNREACHABLE -> e.getMessage() + ". The instance may have gone away; call `refresh_instances` to re-check it.";
            case UNAUTHORIZED -> e.getMessage() + ".";
            case NOT_OPENCODE -> e.getMessage() + ". The tunnel port may now belong to something else; call `refresh_instances`.";
            default -> e.getMessage();
        };
    }

    /** Convenience for tools: the declared tool. */
    public static McpSchema.Tool.Builder tool(String name, String title, String description) {
        return McpSchema.Tool.builder(name, Schemas.noInput()).title(title).description(description);
    }
}
