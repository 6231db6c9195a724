package org.opencodemcp.server.tools;

import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import org.opencodemcp.server.opencode.OpenCodeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns {@link McpTool}s into SDK tool specifications, mapping every failure to an {@code isError}
 * result that tells the assistant what to do (the SDK would otherwise answer a JSON-RPC error).
 */
public final class ToolCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(ToolCatalog.class);

    private ToolCatalog() {}

    public static List<McpServerFeatures.SyncToolSpecification> specifications(List<McpTool> tools) {
        return tools.stream().map(ToolCatalog::specification).toList();
    }

    private static McpServerFeatures.SyncToolSpecification specification(McpTool tool) {
        String name = tool.definition().name();
        return McpServerFeatures.SyncToolSpecification.builder()
                .tool(tool.definition())
                .callHandler((exchange, request) -> {
                    try {
                        return tool.call(exchange, request);
                    } catch (ToolError e) {
                        return ToolResults.error(e.getMessage());
                    } catch (OpenCodeException e) {
                        return ToolResults.error(openCodeAdvice(e));
                    } catch (RuntimeException e) {
                        LOG.error("tool {} failed", name, e);
                        return ToolResults.error("internal error in " + name + ": " + e
                                + ". This is a bug in opencode-mcp; the server log has the details.");
                    }
                })
                .build();
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
