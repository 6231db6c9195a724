package org.opencodemcp.server.tools;

import java.util.ArrayList;
import java.util.List;
import org.opencodemcp.server.jobs.JobLedger;
import org.opencodemcp.server.registry.InstanceRegistry;
import org.opencodemcp.server.tools.jobs.JobTools;
import org.opencodemcp.server.tools.session.SessionTools;

/** Every tool the server offers, in the order clients list them. */
public final class ToolSet {
    private ToolSet() {}

    public static List<McpTool> all(InstanceRegistry registry, JobLedger jobs) {
        return of(ToolProfile.FULL, registry, jobs);
    }

    public static List<McpTool> of(ToolProfile profile, InstanceRegistry registry, JobLedger jobs) {
        List<McpTool> tools = new ArrayList<>();
        if (profile != ToolProfile.SIMPLE) {
            tools.add(new ListInstancesTool(registry));
            tools.add(new RefreshInstancesTool(registry));
            tools.addAll(SessionTools.all(registry, jobs));
            tools.addAll(JobTools.all(jobs));
        }
        if (profile != ToolProfile.FULL) {
            tools.addAll(SessionTools.simple(registry, jobs));
        }
        return tools;
    }
}
