package org.opencodemcp.server.tools.session;

import java.util.Map;
import org.opencodemcp.server.opencode.Tokens;
import org.opencodemcp.server.tools.ToolResults;

/** Token counts for the assistant: structured ({@link SessionSchemas#TOKENS}) and as one line. */
final class TokenView {
    private TokenView() {}

    static Map<String, Object> structured(Tokens t) {
        Map<String, Object> m = ToolResults.object();
        m.put("input", t.input());
        m.put("output", t.output());
        m.put("reasoning", t.reasoning());
        m.put("cacheRead", t.cacheRead());
        m.put("cacheWrite", t.cacheWrite());
        return m;
    }

    static String line(Tokens t) {
        return "in " + t.input() + " / out " + t.output() + (t.reasoning() > 0 ? " / reasoning " + t.reasoning() : "")
                + (t.cacheRead() + t.cacheWrite() > 0 ? " / cache r" + t.cacheRead() + " w" + t.cacheWrite() : "");
    }
}
