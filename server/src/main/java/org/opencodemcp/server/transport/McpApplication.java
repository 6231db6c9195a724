package org.opencodemcp.server.transport;

import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;
import java.util.function.Supplier;
import org.opencodemcp.server.tools.Cancellations;
import org.opencodemcp.server.tools.LogLevels;
import org.opencodemcp.server.tools.SubscriptionGate;

/**
 * What the HTTP transport serves, built by the root (registry, instances, tools) and known here only
 * through these three steps, so the transport imports nothing of the registry, the instances or the root.
 */
public interface McpApplication {
    /**
     * Called once the HTTP port is bound: starts the registry; returns what {@code /healthz} reports, the
     * subscription gate and the clients' log levels.
     */
    Prepared prepare();

    /**
     * Builds the MCP server on the transport's provider, its tool calls cancelled through {@code cancellations};
     * closing the result stops the server and what {@link #prepare} started.
     */
    Running serve(McpStreamableServerTransportProvider provider, Cancellations cancellations);

    /** Stops what {@link #prepare} started when the server could not be built. */
    void abandon();

    /** What the transport needs of a prepared application before its MCP server exists. */
    record Prepared(Supplier<HealthReport> health, SubscriptionGate subscriptions, LogLevels logLevels) {}

    /** A served application: {@link #close} stops the MCP server and the registry. */
    interface Running extends AutoCloseable {
        @Override
        void close();
    }
}
