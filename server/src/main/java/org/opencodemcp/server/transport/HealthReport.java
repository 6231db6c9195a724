package org.opencodemcp.server.transport;

import java.util.Map;

/**
 * What {@code /healthz} and {@code /readyz} report: counts only, no instance details. Made by the
 * root from the registry ({@code ServerHealth}) and handed in through {@link McpApplication#prepare}.
 *
 * @param ready        the first registry scan has finished
 * @param watcherAlive the registry directory watcher runs (else only the periodic rescan finds changes)
 * @param registryOk   the registry directory is usable
 * @param counts       instances by state label ({@code online}, {@code unreachable}, ...)
 */
public record HealthReport(boolean ready, boolean watcherAlive, boolean registryOk, Map<String, Integer> counts) {
}
