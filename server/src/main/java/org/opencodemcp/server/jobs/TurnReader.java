package org.opencodemcp.server.jobs;

import java.util.ArrayList;
import java.util.List;
import org.opencodemcp.server.opencode.ErrorInfo;
import org.opencodemcp.server.opencode.FileDiff;
import org.opencodemcp.server.opencode.MessageInfo;
import org.opencodemcp.server.opencode.OpenCodeException;
import org.opencodemcp.server.opencode.Part;
import org.opencodemcp.server.opencode.SessionApi;
import org.opencodemcp.server.opencode.SessionMessage;

/**
 * Reads how a job's turn ended from OpenCode's stored messages (authoritative, also after a restart):
 * the assistant messages answering the job's user message, and the session diff of that message.
 */
final class TurnReader {
    static final int MESSAGES = 50;
    static final int MAX_FILES = 500;

    /** The turn's end. */
    record End(JobState state, JobResult result) {}

    /** What the session holds about the job's turn: its user message id (maybe null) and its end (null while running). */
    record Read(String messageId, End end) {}

    private TurnReader() {}

    static Read read(SessionApi api, Job job) {
        return read(api.messages(job.sessionId(), MESSAGES), job, api);
    }

    static Read read(List<SessionMessage> messages, Job job, SessionApi diffs) {
        String user = job.messageId();
        if (user == null) {
            // posted, but its id never learned (the server died first): the newest user message
            for (SessionMessage m : messages) {
                if (m.info().user()) {
                    user = m.info().id();
                }
            }
        }
        if (user == null) {
            return new Read(null, null);
        }
        List<SessionMessage> answers = new ArrayList<>();
        for (SessionMessage m : messages) {
            if (m.info().assistant() && user.equals(m.info().parentId())) {
                answers.add(m);
            }
        }
        if (answers.isEmpty()) {
            return new Read(user, null);
        }
        MessageInfo last = answers.get(answers.size() - 1).info();
        boolean finished = last.completed() > 0 && (last.error() != null || !"tool-calls".equals(last.finish()));
        if (!finished) {
            return new Read(user, null);
        }
        String text = "";
        List<JobResult.ToolUse> tools = new ArrayList<>();
        JobResult.Tokens tokens = null;
        Double cost = null;
        ErrorInfo error = null;
        for (SessionMessage m : answers) {
            String t = text(m.parts());
            if (!t.isEmpty()) {
                text = t; // the final answer is the last assistant message with text
            }
            for (Part p : m.parts()) {
                if (p instanceof Part.Tool tool) {
                    tools.add(new JobResult.ToolUse(tool.tool(), tool.status(), tool.title()));
                }
            }
            MessageInfo info = m.info();
            if (info.tokens() != null) {
                JobResult.Tokens one = new JobResult.Tokens(info.tokens().input(), info.tokens().output(),
                        info.tokens().reasoning(), info.tokens().cacheRead(), info.tokens().cacheWrite());
                tokens = tokens == null ? one : tokens.plus(one);
            }
            if (info.cost() != null) {
                cost = (cost == null ? 0 : cost) + info.cost();
            }
            if (info.error() != null) {
                error = info.error();
            }
        }
        JobState state = error == null ? JobState.COMPLETED
                : "MessageAbortedError".equals(error.name()) ? JobState.ABORTED : JobState.FAILED;
        JobResult result = new JobResult(text, false, tools, tokens, cost, files(diffs, job.sessionId(), user),
                error == null ? null : error.line());
        return new Read(user, new End(state, result));
    }

    private static String text(List<Part> parts) {
        StringBuilder sb = new StringBuilder();
        for (Part p : parts) {
            if (p instanceof Part.Text t && !t.synthetic() && !t.ignored() && t.text() != null) {
                String s = t.text().strip();
                if (!s.isEmpty()) {
                    sb.append(sb.length() > 0 ? "\n\n" : "").append(s);
                }
            }
        }
        return sb.toString();
    }

    private static List<JobResult.FileChange> files(SessionApi api, String sessionId, String userMessageId) {
        if (api == null) {
            return List.of();
        }
        List<JobResult.FileChange> out = new ArrayList<>();
        try {
            for (FileDiff d : api.diff(sessionId, userMessageId)) {
                if (out.size() >= MAX_FILES) {
                    break;
                }
                out.add(new JobResult.FileChange(d.file(), d.additions(), d.deletions()));
            }
        } catch (OpenCodeException e) {
            // older servers without the diff route: the job ends without its file list
        }
        return out;
    }
}
