package org.opencodemcp.server.opencode;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One item of {@code GET /agent}. Its {@code permission} rules, {@code prompt} and {@code options} are left
 * out on purpose: they hold the instance's local paths and prompts, which no tool shows.
 *
 * @param mode   {@code primary}, {@code subagent} or {@code all}; null when not reported
 * @param hidden OpenCode's internal agents (compaction, summary, title)
 * @param model  the agent's own model, or null when it uses the session's
 */
public record Agent(String name, String mode, String description, boolean hidden, ModelRef model) {
    public static final String SUBAGENT = "subagent";

    /** {@code GET /agent}, in the server's order. */
    public static List<Agent> list(JsonNode arr) {
        return Wire.elements(arr, Agent::from);
    }

    public static Agent from(JsonNode a) {
        return new Agent(Wire.text(a, "name"), Wire.text(a, "mode"), Wire.text(a, "description"),
                Wire.flag(a, "hidden"), ModelRef.from(Wire.object(a, "model")));
    }

    /** Can be named as {@code agent} in a prompt: shown and not a subagent (those are run by the agent itself). */
    public boolean takesPrompts() {
        return !hidden && !SUBAGENT.equals(mode);
    }
}
