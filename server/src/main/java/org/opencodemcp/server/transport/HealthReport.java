package org.opencodemcp.server.transport;

import java.util.Map;
import java.util.TreeMap;
import org.opencodemcp.server.instance.InstanceState;
import org.opencodemcp.server.instance.InstanceView;
import org.opencodemcp.server.registry.InstanceRegistry;

/**
 * What {@code /healthz} and {@code /readyz} report: counts only, no instance details.
 *
 * @param ready        the first registry scan has finished
 * @param watcherAlive the registry directory watcher runs (else only the periodic rescan finds changes)
 * @param registryOk   the registry directory is usable
 * @param counts       instances by state label ({@code online}, {@code unreachable}, ...)
 */
public record HealthReport(boolean ready, boolean watcherAlive, boolean registryOk, Map<String, Integer> counts) {

    public static HealthReport of(InstanceRegistry registry) {
        Map<String, Integer> counts = new TreeMap<>();
        for (InstanceState s : InstanceState.values()) {
            counts.put(s.label(), 0);
        }
        for (InstanceView v : registry.snapshot().instances()) {
            counts.merge(v.state().label(), 1, Integer::sum);
        }
        boolean ready = registry.firstScan().isDone() && !registry.firstScan().isCompletedExceptionally();
        return new HealthReport(ready, registry.watcherAlive(), registry.directoryProblem() == null, counts);
    }
}
