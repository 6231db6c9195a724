package org.opencodemcp.server.tools.jobs;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.opencodemcp.server.jobs.Job;
import org.opencodemcp.server.jobs.JobResult;
import org.opencodemcp.server.tools.Markdown;
import org.opencodemcp.server.tools.Times;
import org.opencodemcp.server.tools.ToolResults;

/** A job as the assistant reads it: one line for lists, a full block for {@code get_job}, and structured content. */
final class JobView {
    static final int LINE_PROMPT = 60;

    static final String JOB_SCHEMA = """
            {"type":"object","required":["job","instance","state","created"],"properties":{
             "job":{"type":"string"},"instance":{"type":"string"},"sessionId":{"type":"string"},
             "messageId":{"type":"string"},"prompt":{"type":"string"},"agent":{"type":"string"},"model":{"type":"string"},
             "state":{"type":"string","enum":["queued","running","waiting","completed","failed","aborted","lost"]},
             "created":{"type":"string"},"updated":{"type":"string"},"ended":{"type":"string"},
             "waitingOn":{"type":"object"},"recorded":{"type":"boolean"},
             "text":{"type":"string"},"textCut":{"type":"boolean"},
             "tools":{"type":"array","items":{"type":"object","properties":{"tool":{"type":"string"},"status":{"type":"string"},"title":{"type":"string"}}}},
             "tokens":{"type":"object","properties":{"input":{"type":"integer"},"output":{"type":"integer"},
               "reasoning":{"type":"integer"},"cacheRead":{"type":"integer"},"cacheWrite":{"type":"integer"}}},
             "cost":{"type":"number"},
             "files":{"type":"array","items":{"type":"object","properties":{"path":{"type":"string"},
               "additions":{"type":"integer"},"deletions":{"type":"integer"}}}},
             "error":{"type":"string"}}}
            """;

    private JobView() {}

    static String line(Job j) {
        StringBuilder sb = new StringBuilder("- ").append(Markdown.code(j.id())).append(' ').append(j.state().label())
                .append(", ").append(j.instance());
        if (j.sessionId() != null) {
            sb.append(' ').append(Markdown.code(j.sessionId()));
        }
        sb.append(", ").append(Times.isoMillis(j.created().toEpochMilli()));
        if (j.prompt() != null) {
            sb.append(": \"").append(Markdown.cell(oneLine(j.prompt(), LINE_PROMPT))).append('"');
        }
        JobResult r = j.result();
        if (r != null && r.tokens() != null) {
            sb.append(" (out ").append(r.tokens().output()).append(" tokens");
            if (!r.files().isEmpty()) {
                sb.append(", ").append(r.files().size()).append(" files");
            }
            sb.append(')');
        }
        if (!j.recorded()) {
            sb.append(" [not recorded]");
        }
        return sb.toString();
    }

    static String block(Job j, String storeNote) {
        StringBuilder md = new StringBuilder("**Job** ").append(Markdown.code(j.id())).append(": **").append(j.state().label())
                .append("** on ").append(j.instance());
        if (j.sessionId() != null) {
            md.append(", session ").append(Markdown.code(j.sessionId()));
        }
        if (j.messageId() != null) {
            md.append(", message ").append(Markdown.code(j.messageId()));
        }
        md.append("\n\ncreated ").append(Times.isoMillis(j.created().toEpochMilli()));
        if (j.ended() != null) {
            md.append(", ended ").append(Times.isoMillis(j.ended().toEpochMilli()));
        }
        if (j.agent() != null || j.model() != null) {
            md.append("; agent ").append(j.agent() == null ? "(default)" : j.agent()).append(", model ")
                    .append(j.model() == null ? "(default)" : j.model());
        }
        if (j.prompt() != null) {
            md.append("\n\nPrompt: \"").append(oneLine(j.prompt(), 200)).append('"');
        }
        if (j.waitingOn() != null) {
            md.append("\n\nWaiting on: ").append(oneLine(j.waitingOn(), 400))
                    .append("\nAnswer a permission with `reply_permission`; a question is answered in OpenCode itself.");
        }
        JobResult r = j.result();
        if (r != null) {
            if (r.text() != null) {
                md.append("\n\n").append(r.text().isEmpty() ? "_(no text in the reply)_" : r.text());
                if (r.textCut()) {
                    md.append("\n\n_(text cut at ").append(JobResult.MAX_TEXT)
                            .append(" characters; the whole reply is in the session: `get_session`)_");
                }
            }
            if (!r.tools().isEmpty()) {
                md.append("\n\n**Tools used:**");
                r.tools().forEach(t -> md.append("\n- `").append(t.tool()).append("` ").append(t.status())
                        .append(t.title() == null ? "" : ": " + oneLine(t.title(), 120)));
            }
            if (!r.files().isEmpty()) {
                md.append("\n\n**Files changed:**");
                r.files().forEach(f -> md.append("\n- ").append(f.path() == null ? "(path not stored)" : Markdown.code(f.path()))
                        .append(" +").append(f.additions()).append(" -").append(f.deletions()));
            }
            if (r.error() != null) {
                md.append("\n\n**Error:** ").append(r.error());
            }
            if (r.tokens() != null) {
                md.append("\n\n_tokens in ").append(r.tokens().input()).append(" / out ").append(r.tokens().output());
                if (r.cost() != null) {
                    md.append(", cost $").append(String.format(Locale.ROOT, "%.6f", r.cost()));
                }
                md.append('_');
            }
        }
        if (!j.recorded()) {
            md.append("\n\n_Not recorded: ").append(storeNote == null ? "the jobs database could not be written" : storeNote)
                    .append(". This job is kept in memory until the server stops._");
        }
        return md.toString();
    }

    static Map<String, Object> structured(Job j) {
        Map<String, Object> m = ToolResults.object();
        m.put("job", j.id());
        m.put("instance", j.instance());
        m.put("sessionId", j.sessionId());
        m.put("messageId", j.messageId());
        m.put("prompt", j.prompt());
        m.put("agent", j.agent());
        m.put("model", j.model());
        m.put("state", j.state().label());
        m.put("created", Times.isoMillis(j.created().toEpochMilli()));
        m.put("updated", Times.isoMillis(j.updated().toEpochMilli()));
        m.put("ended", j.ended() == null ? null : Times.isoMillis(j.ended().toEpochMilli()));
        m.put("waitingOn", j.waitingOn() == null ? null : Json.object(j.waitingOn()));
        m.put("recorded", j.recorded());
        JobResult r = j.result();
        if (r != null) {
            m.put("text", r.text());
            m.put("textCut", r.textCut() ? Boolean.TRUE : null);
            m.put("tools", r.tools().stream().map(t -> {
                Map<String, Object> tm = ToolResults.object();
                tm.put("tool", t.tool());
                tm.put("status", t.status());
                tm.put("title", t.title());
                return tm;
            }).toList());
            if (r.tokens() != null) {
                Map<String, Object> tk = ToolResults.object();
                tk.put("input", r.tokens().input());
                tk.put("output", r.tokens().output());
                tk.put("reasoning", r.tokens().reasoning());
                tk.put("cacheRead", r.tokens().cacheRead());
                tk.put("cacheWrite", r.tokens().cacheWrite());
                m.put("tokens", tk);
            }
            m.put("cost", r.cost());
            List<Map<String, Object>> files = r.files().stream().map(f -> {
                Map<String, Object> fm = ToolResults.object();
                fm.put("path", f.path());
                fm.put("additions", f.additions());
                fm.put("deletions", f.deletions());
                return fm;
            }).toList();
            m.put("files", files);
            m.put("error", r.error());
        }
        return m;
    }

    static String oneLine(String s, int max) {
        String one = s.replaceAll("\\s+", " ").strip();
        return one.length() <= max ? one : one.substring(0, max - 3) + "...";
    }
}
