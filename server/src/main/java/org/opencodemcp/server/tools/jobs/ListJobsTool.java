package org.opencodemcp.server.tools.jobs;

import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.opencodemcp.server.jobs.Job;
import org.opencodemcp.server.jobs.JobLedger;
import org.opencodemcp.server.jobs.JobState;
import org.opencodemcp.server.tools.McpTool;
import org.opencodemcp.server.tools.Schemas;
import org.opencodemcp.server.tools.ToolArgs;
import org.opencodemcp.server.tools.ToolError;
import org.opencodemcp.server.tools.ToolResults;

/** {@code list_jobs}: the most recent jobs first, one line each, optionally of one instance or state. */
final class ListJobsTool implements McpTool {
    static final int MAX_LIMIT = 200;

    private final JobLedger ledger;

    ListJobsTool(JobLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public McpSchema.Tool definition() {
        String states = Arrays.stream(JobState.values()).map(s -> "\"" + s.label() + "\"").collect(Collectors.joining(","));
        return McpSchema.Tool.builder("list_jobs", Schemas.parse("""
                        {"type":"object","additionalProperties":false,"properties":{
                         "instance":{"type":"string","description":"only jobs sent to this instance (exact name)"},
                         "state":{"type":"string","enum":[%s]},
                         "limit":{"type":"integer","minimum":1,"maximum":%d,"default":20}}}
                        """.formatted(states, MAX_LIMIT)))
                .title("List jobs")
                .description("The most recent jobs (every send_message is one), newest first, one line each: id, state, "
                        + "instance, session, time and the start of the prompt. Read one with get_job.")
                .outputSchema(Schemas.parse("""
                        {"type":"object","required":["jobs"],"properties":{"store":{"type":"string"},
                         "jobs":{"type":"array","items":%s}}}
                        """.formatted(JobView.JOB_SCHEMA)))
                .annotations(new McpSchema.ToolAnnotations(null, true, false, true, false, false))
                .build();
    }

    @Override
    public McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        ToolArgs args = new ToolArgs(request.arguments());
        String instance = args.string("instance");
        String stateArg = args.string("state");
        JobState state = JobState.parse(stateArg);
        if (stateArg != null && state == null) {
            throw new ToolError("Unknown state \"" + stateArg + "\". Use one of: " + Arrays.stream(JobState.values())
                    .map(JobState::label).collect(Collectors.joining(", ")) + "; or call `list_jobs` without `state`.");
        }
        int limit = Math.max(1, Math.min(MAX_LIMIT, args.integer("limit", 20)));
        List<Job> jobs = ledger.list(instance == null || instance.isBlank() ? null : instance.strip(), state, limit);
        StringBuilder md = new StringBuilder();
        if (jobs.isEmpty()) {
            md.append("No jobs").append(instance == null ? "" : " for " + instance).append(state == null ? "" : " in state " + state.label())
                    .append(" in ").append(ledger.location()).append(". Every `send_message` creates one.");
        } else {
            md.append(jobs.size()).append(jobs.size() == 1 ? " job" : " jobs").append(", newest first (")
                    .append(ledger.location()).append("):\n");
            jobs.forEach(j -> md.append(JobView.line(j)).append('\n'));
            md.append("Read one with `get_job {\"job\":\"").append(jobs.get(0).id()).append("\"}`.");
        }
        if (ledger.writeProblem() != null) {
            md.append("\n\n_Jobs are not being recorded: ").append(ledger.writeProblem()).append("_");
        }
        Map<String, Object> out = ToolResults.object();
        out.put("store", ledger.location());
        out.put("jobs", jobs.stream().map(JobView::structured).toList());
        return ToolResults.success(md.toString().stripTrailing(), out);
    }
}
