package org.opencodemcp.server.tools;

import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.opencodemcp.server.registry.InstanceRegistry;

/** {@code refresh_instances}: rescan the directory and probe every instance now, then list them. */
public final class RefreshInstancesTool implements McpTool {
    private final InstanceRegistry registry;

    public RefreshInstancesTool(InstanceRegistry registry) {
        this.registry = registry;
    }

    @Override
    public McpSchema.Tool definition() {
        return InstanceListing.tool("refresh_instances", "Re-check OpenCode instances",
                "Rescan the registry directory and probe every instance now (health and identity), then list "
                        + "them as list_instances does (same filters and pages). Cancelling the call stops its waiting"
                        + " at once."
                        + " Use it when an instance looks stale or missing.");
    }

    @Override
    public McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        long started = System.nanoTime();
        Duration limit = registry.settings().healthTimeout().multipliedBy(2).plusSeconds(2);
        InstanceRegistry.Snapshot snapshot;
        try {
            snapshot = registry.refresh().get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            snapshot = registry.snapshot();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the client cancelled the call: stop waiting for the probes
            throw new Cancellations.Cancelled();
        } catch (ExecutionException e) {
            throw new ToolError("Refresh failed: " + e.getCause());
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        String heading = "Refreshed " + snapshot.instances().size() + " registration(s) in " + ms + " ms.";
        return InstanceListing.result(registry, snapshot, registry.directoryProblem(), heading,
                InstanceListing.Query.of(request.arguments()));
    }
}
