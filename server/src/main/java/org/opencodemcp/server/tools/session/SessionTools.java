package org.opencodemcp.server.tools.session;

import java.util.List;
import org.opencodemcp.server.jobs.JobLedger;
import org.opencodemcp.server.registry.InstanceRegistry;
import org.opencodemcp.server.tools.McpTool;

/** The tools that drive sessions, in the order clients list them. */
public final class SessionTools {
    private SessionTools() {}

    public static List<McpTool> all(InstanceRegistry registry, JobLedger jobs) {
        SessionLookup lookup = new SessionLookup(registry);
        return List.of(
                new ListSessionsTool(lookup),
                new GetSessionTool(lookup),
                new CreateSessionTool(lookup),
                new SendMessageTool(lookup, registry.settings().sendWait(), jobs),
                new GetStatusTool(lookup),
                new AbortSessionTool(lookup),
                new ReplyPermissionTool(lookup),
                new ReplyQuestionTool(lookup),
                new FleetStatusTool(registry, java.time.Clock.systemUTC()),
                new GetDiffTool(lookup),
                new ListAgentsTool(lookup));
    }

    /**
     * The simple profile: the original server's three tools, adapters over the same lookup, send and
     * rendering code as the full tools.
     */
    public static List<McpTool> simple(InstanceRegistry registry, JobLedger jobs) {
        SessionLookup lookup = new SessionLookup(registry);
        return List.of(
                new SimpleInstancesTool(registry),
                new SimpleSendTool(lookup, registry.settings().sendWait(), jobs),
                new SimpleReadTool(lookup));
    }
}
