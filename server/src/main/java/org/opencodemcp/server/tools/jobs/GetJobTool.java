package org.opencodemcp.server.tools.jobs;

import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.opencodemcp.server.jobs.Job;
import org.opencodemcp.server.jobs.JobId;
import org.opencodemcp.server.jobs.JobLedger;
import org.opencodemcp.server.tools.McpTool;
import org.opencodemcp.server.tools.Schemas;
import org.opencodemcp.server.tools.ToolArgs;
import org.opencodemcp.server.tools.ToolError;
import org.opencodemcp.server.tools.ToolResults;

/**
 * {@code get_job}: a job's state and result, waiting up to {@code wait_seconds} (bounded like sends)
 * for a running job to end, with a progress notification every few seconds while it waits.
 */
final class GetJobTool implements McpTool {
    static final int MAX_WAIT_SECONDS = 3600;
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

    private final JobLedger ledger;

    GetJobTool(JobLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public McpSchema.Tool definition() {
        return McpSchema.Tool.builder("get_job", Schemas.parse("""
                        {"type":"object","required":["job"],"additionalProperties":false,"properties":{
                         "job":{"type":"string","description":"the job id a send returned (job_...)"},
                         "wait_seconds":{"type":"integer","minimum":0,"maximum":%d,"default":0,
                          "description":"wait this long for a running job to end (0 = answer at once)"}}}
                        """.formatted(MAX_WAIT_SECONDS)))
                .title("Get a job")
                .description("State and result of a job (every send_message is one): queued, running, waiting (on a "
                        + "permission or question, shown), completed (final text, tools used, tokens, cost, files changed), "
                        + "failed, aborted or lost. wait_seconds waits for a running job to end, with progress notifications.")
                .outputSchema(Schemas.parse(JobView.JOB_SCHEMA))
                .annotations(new McpSchema.ToolAnnotations(null, true, false, true, false, false))
                .build();
    }

    @Override
    public McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        ToolArgs args = new ToolArgs(request.arguments());
        String id = JobId.normalize(args.requiredString("job"));
        int wait = Math.max(0, Math.min(MAX_WAIT_SECONDS, args.integer("wait_seconds", 0)));
        Optional<Job> found = ledger.get(id);
        if (found.isEmpty()) {
            throw new ToolError(unknown(id));
        }
        Job job = found.get();
        if (wait > 0 && !job.state().ended()) {
            Object token = request.progressToken();
            double[] n = {0};
            try {
                job = ledger.await(id, Duration.ofSeconds(wait), PROGRESS_EVERY, j -> {
                    if (token != null && exchange != null) {
                        n[0]++;
                        exchange.progressNotification(McpSchema.ProgressNotification.builder(token, n[0])
                                .message("job " + j.id() + " is " + j.state().label()).build());
                    }
                }).orElse(job);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        String md = JobView.block(job, ledger.writeProblem());
        if (!job.state().ended()) {
            md += "\n\nStill " + job.state().label() + (wait > 0 ? " after " + wait + " s" : "") + ". Follow up with `get_job {\"job\":\""
                    + job.id() + "\",\"wait_seconds\":50}`; do not send the prompt again.";
        }
        return ToolResults.success(md, JobView.structured(job));
    }

    private String unknown(String id) {
        List<Job> latest = ledger.list(null, null, 10);
        StringBuilder sb = new StringBuilder("No job ").append(id.isEmpty() ? "(empty id)" : "`" + id + "`")
                .append(JobId.valid(id) ? "" : " (job ids look like job_01J...)").append(" in ").append(ledger.location());
        if (latest.isEmpty()) {
            return sb.append(". No jobs are recorded yet: every `send_message` creates one.").toString();
        }
        sb.append(". The latest jobs:\n");
        latest.forEach(j -> sb.append(JobView.line(j)).append('\n'));
        return sb.append("Call `get_job` with one of these ids, or `list_jobs` for more.").toString();
    }

    /** For tests: the arguments of a follow-up call. */
    static Map<String, Object> args(String id, int wait) {
        return Map.of("job", id, "wait_seconds", wait);
    }
}
