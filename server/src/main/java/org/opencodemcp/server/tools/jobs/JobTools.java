package org.opencodemcp.server.tools.jobs;

import java.util.List;
import org.opencodemcp.server.jobs.JobLedger;
import org.opencodemcp.server.tools.McpTool;

/** The tools that read the jobs ledger. */
public final class JobTools {
    private JobTools() {}

    public static List<McpTool> all(JobLedger ledger) {
        return List.of(new GetJobTool(ledger), new ListJobsTool(ledger));
    }
}
