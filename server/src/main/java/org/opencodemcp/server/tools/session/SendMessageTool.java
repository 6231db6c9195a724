package org.opencodemcp.server.tools.session;

import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.opencodemcp.server.jobs.Job;
import org.opencodemcp.server.jobs.JobLedger;
import org.opencodemcp.server.opencode.ModelRef;
import org.opencodemcp.server.opencode.OpenCodeException;
import org.opencodemcp.server.opencode.Permission;
import org.opencodemcp.server.opencode.SessionInfo;
import org.opencodemcp.server.tools.Markdown;
import org.opencodemcp.server.tools.McpTool;
import org.opencodemcp.server.tools.ToolArgs;
import org.opencodemcp.server.tools.ToolError;
import org.opencodemcp.server.tools.ToolResults;

/**
 * {@code send_message}: posts a prompt with {@code prompt_async} and follows the turn on the instance's
 * event stream (subscribed first, so nothing is missed), streaming text as progress. It never re-sends.
 */
final class SendMessageTool implements McpTool {
    static final int MAX_WAIT_SECONDS = 3600;
    /** How long an async send waits to learn the new message id; the prompt is already posted then. */
    static final Duration ASYNC_ID_WAIT = Duration.ofSeconds(2);
    static final int TURN_MESSAGES = 50;

    private final SessionLookup lookup;
    private final Duration defaultWait;
    private final JobLedger jobs;

    SendMessageTool(SessionLookup lookup, Duration defaultWait, JobLedger jobs) {
        this.lookup = lookup;
        this.defaultWait = defaultWait;
        this.jobs = jobs;
    }

    @Override
    public McpSchema.Tool definition() {
        return SessionSchemas.tool("send_message", "Send a message to a session",
                        "Send a prompt to an OpenCode session and wait for the reply (text streams as progress "
                                + "notifications). session: id, prefix or title part; omitted = the most recently updated "
                                + "session; \"new\" = a new session. Returns the final text, tools used, errors, tokens and "
                                + "cost; or, after wait_seconds (default " + defaultWait.toSeconds() + "), a \"still running\" "
                                + "answer with the follow-up call; or, at once, a permission request or question the turn waits on, with the reply call. "
                                + "async=true returns as soon as the prompt is accepted. Never re-send on a timeout: the "
                                + "turn keeps running. Cancelling this call only stops the waiting (no result is sent); the "
                                + "agent's turn goes on and can be read later with get_session.",
                        SessionSchemas.input(SessionLookup.SESSION_PROPERTY
                                        + ",\"message\":{\"type\":\"string\",\"minLength\":1}"
                                        + ",\"async\":{\"type\":\"boolean\",\"default\":false}"
                                        + "," + CreateSessionTool.AGENT_PROPERTY + "," + CreateSessionTool.MODEL_PROPERTY
                                        + ",\"wait_seconds\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":" + MAX_WAIT_SECONDS
                                        + ",\"description\":\"Longest wait for the reply (default " + defaultWait.toSeconds() + ")\"}",
                                "message"),
                        OUTPUT)
                .annotations(SessionSchemas.acting(false)).build();
    }

    static final String OUTPUT = """
            {"type":"object","required":["instance","sessionId","state"],"properties":{
             "instance":{"type":"string"},"sessionId":{"type":"string"},"sessionTitle":{"type":"string"},
             "createdSession":{"type":"boolean"},
             "state":{"type":"string","enum":["completed","running","sent","waiting_permission","waiting_question","stream_lost"]},
             "messageId":{"type":"string","description":"the user message this prompt created"},
             "job":{"type":"string","description":"this send's job: get_job shows its state and result, also later"},
             "text":{"type":"string"},"tools":{"type":"array","items":%s},
             "errors":{"type":"array","items":{"type":"string"}},"tokens":%s,"cost":{"type":"number"},
             "permission":%s,"question":%s,
             "followUp":{"type":"string","description":"the exact call to make next"}}}
            """.formatted(SessionSchemas.TOOL_CALL, SessionSchemas.TOKENS, SessionSchemas.PERMISSION, SessionSchemas.QUESTION);

    @Override
    public McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        ToolArgs args = new ToolArgs(request.arguments());
        String message = args.requiredString("message");
        boolean async = args.bool("async", false);
        int waitSeconds = Math.max(1, Math.min(MAX_WAIT_SECONDS, args.integer("wait_seconds", (int) defaultWait.toSeconds())));
        SessionLookup.Target t = lookup.instance(args.requiredString("instance"));
        String agent = AgentModelCheck.agent(t.api(), args.string("agent"));
        ModelRef model = AgentModelCheck.model(t.api(), args.string("model"));

        String sessionArg = args.string("session");
        boolean create = sessionArg != null && sessionArg.trim().equalsIgnoreCase("new");
        SessionInfo s;
        if (create) {
            s = t.api().create(null, agent, model);
        } else if (sessionArg == null || sessionArg.isBlank()) {
            s = SessionMatcher.mostRecent(t.api().list());
            if (s == null) {
                s = t.api().create(null, agent, model);
                create = true;
            }
        } else {
            s = lookup.find(t, sessionArg);
        }
        if (!create) {
            refuseIfBusy(t, s);
        }
        return deliver(exchange, request.progressToken(), t, s, create, message, async, agent, model, waitSeconds, false, jobs);
    }

    /**
     * Posts the prompt to a resolved session and follows the turn: subscribe first, stream progress,
     * wait at most {@code waitSeconds}, return early on a permission or a question. Shared by
     * {@code send_message} and the simple profile's {@code send}.
     */
    static McpSchema.CallToolResult deliver(McpSyncServerExchange exchange, Object progressToken, SessionLookup.Target t,
            SessionInfo s, boolean create, String message, boolean async, String agent, ModelRef model, int waitSeconds,
            boolean simpleProfile, JobLedger jobs) {
        // an omitted agent falls back to build even in a plan session: send the session's own when known
        String sendAgent = agent != null ? agent : s.agent();
        ModelRef sendModel = model != null ? model : s.model();

        // the job is recorded before the prompt is posted, and followed once it is (with or without this call)
        Job job = jobs.open(t.name(), s.id(), message, sendAgent, sendModel == null ? null : sendModel.toString());
        Turn turn = new Turn(t, s, create, simpleProfile, job);
        try (ProgressStreamer progress = new ProgressStreamer(exchange, async ? null : progressToken)) {
            TurnWatcher watcher = new TurnWatcher(s.id(), progress::append);
            // subscribed before posting: a fast turn can finish before prompt_async even answers
            AutoCloseable subscription = t.instance().subscribe(watcher);
            try {
                try {
                    post(t, s, message, sendAgent, sendModel);
                } catch (RuntimeException e) {
                    jobs.refused(job, e.getMessage());
                    throw e;
                }
                jobs.posted(job, watcher.userMessage());
                if (async) {
                    return turn.sent(await(watcher.userMessage(), ASYNC_ID_WAIT));
                }
                TurnWatcher.Outcome outcome = await(watcher.outcome(), Duration.ofSeconds(waitSeconds));
                progress.close(); // the last progress goes out before the result is built, never after
                return turn.result(outcome, watcher, waitSeconds);
            } finally {
                unsubscribe(subscription);
            }
        }
    }

    private static void unsubscribe(AutoCloseable subscription) {
        try {
            subscription.close();
        } catch (Exception e) {
            // removing a listener cannot really fail; nothing to undo if it did
        }
    }

    private static void refuseIfBusy(SessionLookup.Target t, SessionInfo s) {
        InstanceActivity activity = InstanceActivity.of(t, List.of(s));
        if (activity.statusOf(s.id()).idle()) {
            return;
        }
        StringBuilder why = new StringBuilder("Session ").append(Markdown.code(s.id())).append(" (")
                .append(Markdown.cell(s.title())).append(") on ").append(t.name()).append(" is ")
                .append(SessionRows.statusCell(s.id(), activity)).append(", so the message was not sent.");
        Map<String, Permission> waiting = activity.permissionsOf(s.id());
        waiting.values().forEach(p -> why.append(" It waits on ").append(PermissionView.line(p, t.name())).append('.'));
        why.append(" Wait and follow it with `get_session {\"instance\":\"").append(t.name()).append("\",\"session\":\"")
                .append(s.id()).append("\"}`, or stop it with `abort_session` (same arguments) and send again.");
        throw new ToolError(why.toString());
    }

    private static void post(SessionLookup.Target t, SessionInfo s, String message, String agent, ModelRef model) {
        try {
            t.api().promptAsync(s.id(), message, agent, model);
        } catch (OpenCodeException e) {
            if (e.kind() == OpenCodeException.Kind.HTTP_ERROR && e.status() >= 500) {
                throw new ToolError("OpenCode refused the prompt (" + e.getMessage() + "). Agent "
                        + (agent == null ? "(default)" : agent) + ", model " + (model == null ? "(default)" : model)
                        + ": check them with `list_agents`, or pass `model` explicitly as provider/model.");
            }
            throw e;
        }
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> future, Duration limit) {
        try {
            return future.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            // the client cancelled the call: stop waiting now; the turn is not aborted
            Thread.currentThread().interrupt();
            throw new org.opencodemcp.server.tools.Cancellations.Cancelled();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Builds the result of one send, whichever way the wait ended. {@code simple}: the follow-ups name
     * the simple profile's tools ({@code read}, {@code send} with abort), the only ones its client has.
     */
    private record Turn(SessionLookup.Target t, SessionInfo s, boolean created, boolean simple, Job job) {

        McpSchema.CallToolResult sent(String messageId) {
            Map<String, Object> out = base("sent", messageId);
            String follow = followUp();
            out.put("followUp", follow);
            return ToolResults.success(header() + "Prompt accepted (async); the turn runs on. Read the reply later with "
                    + (simple ? "" : Markdown.code(jobCall()) + " or ") + Markdown.code(follow) + ". Do not send it again.", out);
        }

        McpSchema.CallToolResult result(TurnWatcher.Outcome outcome, TurnWatcher watcher, int waitSeconds) {
            String messageId = watcher.userMessageId();
            if (outcome == null) {
                return partial("running", messageId, watcher, "Still running after " + waitSeconds
                        + " s; the turn goes on. Do not send the message again. Follow up with "
                        + (simple ? "" : Markdown.code(jobCall()) + " or ") + Markdown.code(followUp()) + (simple ? "" : " (or `get_status`)") + ", or stop it with "
                        + abortCall() + ".", null);
            }
            return switch (outcome.stop()) {
                case PERMISSION -> partial("waiting_permission", messageId, watcher,
                        "The turn is paused on a " + (simple ? PermissionView.what(outcome.permission())
                                + ". Answer it in OpenCode itself, or stop the turn with " + abortCall()
                                : PermissionView.line(outcome.permission(), t.name())) + ". It stays paused until answered.",
                        outcome);
                case QUESTION -> partial("waiting_question", messageId, watcher, simple
                        ? "The agent asked (question " + Markdown.code(outcome.question().id()) + ") and the turn waits for the"
                                + " answer in OpenCode itself:\n\n" + QuestionView.items(outcome.question())
                                + "Answer it there, or stop the turn with " + abortCall() + "."
                        : "The agent asked (question " + Markdown.code(outcome.question().id()) + ") and the turn waits for the answer:\n\n"
                                + QuestionView.markdown(outcome.question(), t.name())
                                + "\nAfter the reply the turn goes on: follow it with " + Markdown.code(followUp()) + ".", outcome);
                case STREAM_LOST -> partial("stream_lost", messageId, watcher,
                        "Lost the connection to " + t.name() + " while waiting (tunnel dropped?). The turn may still be"
                                + " running there. " + (simple ? "Check with `instances`" : "Call `refresh_instances`")
                                + ", then " + Markdown.code(followUp()) + ".", null);
                case DONE -> completed(messageId, watcher);
            };
        }

        private McpSchema.CallToolResult completed(String messageId, TurnWatcher watcher) {
            TurnSummary turn = TurnSummary.of(t.api().messages(s.id(), TURN_MESSAGES), messageId, watcher.errors());
            String text = turn.found() || !turn.text().isEmpty() ? turn.text() : watcher.streamedText();
            Map<String, Object> out = base("completed", messageId);
            out.put("text", text);
            out.put("tools", turn.tools().stream().map(MessageView::toolMap).toList());
            out.put("errors", turn.errors());
            out.put("tokens", turn.tokens() == null ? null : TokenView.structured(turn.tokens()));
            out.put("cost", turn.cost());
            StringBuilder md = new StringBuilder(header());
            md.append(text.isEmpty() ? "_(no text in the reply)_" : text).append('\n');
            if (!turn.tools().isEmpty()) {
                md.append("\n**Tools used:**\n");
                turn.tools().forEach(tc -> md.append(MessageView.toolLine(tc)).append('\n'));
            }
            if (!turn.errors().isEmpty()) {
                md.append("\n**Errors:**\n");
                turn.errors().forEach(e -> md.append("- ").append(e).append('\n'));
            }
            if (turn.tokens() != null) {
                md.append("\n_tokens ").append(TokenView.line(turn.tokens()));
                if (turn.cost() != null) {
                    md.append(", cost $").append(String.format(Locale.ROOT, "%.6f", turn.cost()));
                }
                md.append("_");
            }
            return ToolResults.success(md.toString().stripTrailing(), out);
        }

        private McpSchema.CallToolResult partial(String state, String messageId, TurnWatcher watcher, String what,
                TurnWatcher.Outcome outcome) {
            Map<String, Object> out = base(state, messageId);
            String soFar = watcher.streamedText();
            out.put("text", soFar.isEmpty() ? null : soFar);
            out.put("errors", watcher.errors());
            String follow = followUp();
            if (simple) {
                // the simple profile cannot reply: follow up with read after answering in OpenCode
                out.put("permission", outcome == null || outcome.permission() == null ? null
                        : PermissionView.structured(outcome.permission()));
                out.put("question", outcome == null || outcome.question() == null ? null
                        : QuestionView.structured(outcome.question()));
            } else if (outcome != null && outcome.permission() != null) {
                out.put("permission", PermissionView.structured(outcome.permission()));
                follow = PermissionView.replyCall(outcome.permission(), t.name());
            } else if (outcome != null && outcome.question() != null) {
                out.put("question", QuestionView.structured(outcome.question()));
                follow = QuestionView.replyCall(outcome.question(), t.name());
            }
            out.put("followUp", follow);
            String md = header() + what + (soFar.isEmpty() ? "" : "\n\nText so far:\n\n" + soFar)
                    + "\n\nSession " + Markdown.code(s.id()) + (messageId == null ? "" : ", message " + Markdown.code(messageId)) + ".";
            return ToolResults.success(md, out);
        }

        private Map<String, Object> base(String state, String messageId) {
            Map<String, Object> out = ToolResults.object();
            out.put("instance", t.name());
            out.put("sessionId", s.id());
            out.put("sessionTitle", s.title());
            out.put("createdSession", created ? Boolean.TRUE : null);
            out.put("state", state);
            out.put("messageId", messageId);
            out.put("job", job.id());
            return out;
        }

        private String header() {
            return "**" + t.name() + "**, session " + Markdown.code(s.id()) + " (" + Markdown.cell(s.title()) + ")"
                    + (created ? ", newly created" : "") + ", job " + Markdown.code(job.id())
                    + (job.recorded() ? "" : " (not recorded)") + ":\n\n";
        }

        private String abortCall() {
            return simple ? Markdown.code("send {\"instance\":\"" + t.name() + "\",\"abort\":true}") : "`abort_session`";
        }

        private String jobCall() {
            return "get_job {\"job\":\"" + job.id() + "\",\"wait_seconds\":50}";
        }

        private String followUp() {
            if (simple) {
                return "read {\"instance\":\"" + t.name() + "\"}";
            }
            return "get_session {\"instance\":\"" + t.name() + "\",\"session\":\"" + s.id() + "\"}";
        }
    }
}
