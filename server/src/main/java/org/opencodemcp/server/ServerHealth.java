package org.opencodemcp.server;

import java.util.Map;
import java.util.TreeMap;
import org.opencodemcp.server.instance.InstanceState;
import org.opencodemcp.server.instance.InstanceView;
import org.opencodemcp.server.registry.InstanceRegistry;
import org.opencodemcp.server.transport.HealthReport;

/** The registry's readiness and counts as the transport's {@code /healthz} shows them (counts only, no instance details). */
final class ServerHealth {
    private ServerHealth() {}

    static HealthReport of(InstanceRegistry registry) {
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
