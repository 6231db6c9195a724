package org.opencodemcp.server.jobs;

import java.util.List;

/**
 * What an ended turn produced, read back from OpenCode.
 *
 * @param text     the final assistant text, at most {@link #MAX_TEXT} characters
 * @param textCut  true when the text was longer and was cut
 * @param tools    the tool calls of the turn, in order
 * @param tokens   summed token counts, or null when OpenCode reported none
 * @param cost     summed cost, or null
 * @param files    files changed by the turn (the session diff)
 * @param error    OpenCode's error, or null
 */
public record JobResult(String text, boolean textCut, List<ToolUse> tools, Tokens tokens, Double cost,
        List<FileChange> files, String error) {

    /** 64 KiB of text: enough for any answer a person reads; the full text stays in OpenCode. */
    public static final int MAX_TEXT = 64 * 1024;

    public JobResult {
        tools = tools == null ? List.of() : List.copyOf(tools);
        files = files == null ? List.of() : List.copyOf(files);
        if (text != null && text.length() > MAX_TEXT) {
            text = text.substring(0, MAX_TEXT);
            textCut = true;
        }
    }

    public record ToolUse(String tool, String status, String title) {}

    public record Tokens(long input, long output, long reasoning, long cacheRead, long cacheWrite) {
        public Tokens plus(Tokens o) {
            return o == null ? this : new Tokens(input + o.input, output + o.output, reasoning + o.reasoning,
                    cacheRead + o.cacheRead, cacheWrite + o.cacheWrite);
        }
    }

    public record FileChange(String path, long additions, long deletions) {}

    /** Ids, states and figures only (JOBS_STORE_TEXT=false): no text, no titles, no paths. */
    public JobResult withoutText() {
        List<ToolUse> bare = tools.stream().map(t -> new ToolUse(t.tool(), t.status(), null)).toList();
        List<FileChange> counted = files.stream().map(f -> new FileChange(null, f.additions(), f.deletions())).toList();
        return new JobResult(null, false, bare, tokens, cost, counted, error == null ? null : "error (text not stored)");
    }
}
