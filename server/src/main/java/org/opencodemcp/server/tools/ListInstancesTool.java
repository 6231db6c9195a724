package org.opencodemcp.server.tools;

import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.concurrent.atomic.AtomicReference;
import org.opencodemcp.server.registry.InstanceRegistry;

/**
 * {@code list_instances}: served from the live registry, no network call on the request path. The
 * rendered result is cached per registry version, so a large fleet costs one render per change.
 */
public final class ListInstancesTool implements McpTool {
    private final InstanceRegistry registry;
    /** The default page (what an assistant asks for almost always), rendered once per registry change. */
    private final AtomicReference<Cached> cache = new AtomicReference<>();

    private record Cached(long version, String problem, McpSchema.CallToolResult result) {}

    public ListInstancesTool(InstanceRegistry registry) {
        this.registry = registry;
    }

    @Override
    public McpSchema.Tool definition() {
        return InstanceListing.tool("list_instances", "List OpenCode instances",
                "List registered OpenCode instances with their live state (online, unreachable, mismatch, "
                        + "invalid), host, directory, version and busy sessions, by name, " + InstanceListing.DEFAULT_LIMIT
                        + " per page. Counts cover the whole registry; filter with state and query (part of name, host or "
                        + "directory), and pass nextCursor as cursor for the next page. Answers from live state at once; "
                        + "use refresh_instances to force a re-check.");
    }

    @Override
    public McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        InstanceRegistry.Snapshot snapshot = registry.snapshot();
        String problem = registry.directoryProblem();
        InstanceListing.Query query = InstanceListing.Query.of(request.arguments());
        if (!query.equals(InstanceListing.Query.DEFAULT)) {
            return InstanceListing.result(registry, snapshot, problem, null, query);
        }
        Cached c = cache.get();
        if (c != null && c.version() == snapshot.version() && java.util.Objects.equals(c.problem(), problem)) {
            return c.result();
        }
        McpSchema.CallToolResult result = InstanceListing.result(registry, snapshot, problem, null, query);
        cache.set(new Cached(snapshot.version(), problem, result));
        return result;
    }
}
