package org.opencodemcp.server.opencode;

import com.fasterxml.jackson.databind.JsonNode;

/** Token counts as OpenCode reports them on a session, a message or a step ({@code {input, output, reasoning, cache:{read, write}}}). */
public record Tokens(long input, long output, long reasoning, long cacheRead, long cacheWrite) {

    /** Null when the node is not a token object (1.14 sessions carry none). */
    public static Tokens from(JsonNode t) {
        if (t == null || !t.isObject()) {
            return null;
        }
        JsonNode cache = Wire.object(t, "cache");
        return new Tokens(Wire.number(t, "input"), Wire.number(t, "output"), Wire.number(t, "reasoning"),
                Wire.number(cache, "read"), Wire.number(cache, "write"));
    }

    public Tokens plus(Tokens o) {
        return o == null ? this : new Tokens(input + o.input, output + o.output, reasoning + o.reasoning,
                cacheRead + o.cacheRead, cacheWrite + o.cacheWrite);
    }

    public long total() {
        return input + output + reasoning + cacheRead + cacheWrite;
    }
}
