package org.opencodemcp.server.tools.session;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.opencodemcp.server.opencode.ModelRef;
import org.opencodemcp.server.opencode.SessionApi;
import org.opencodemcp.server.tools.ToolError;

/**
 * Checks an {@code agent} or {@code model} argument against the server before it is sent: OpenCode
 * answers 500 for an unknown one, and an unknown model also sticks to the session (§4.5), so a typo
 * must never reach it.
 */
final class AgentModelCheck {
    private AgentModelCheck() {}

    static ModelRef model(SessionApi api, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        List<String> known = new ArrayList<>();
        JsonNode providers = api.providers().path("providers");
        for (JsonNode p : providers) {
            String pid = p.path("id").asText();
            p.path("models").fieldNames().forEachRemaining(m -> known.add(pid + "/" + m));
        }
        ModelRef ref = ModelRef.parse(text.trim());
        if (ref != null && known.contains(ref.toString())) {
            return ref;
        }
        throw new ToolError("Unknown model \"" + text + "\"; write it as provider/model. Configured models: "
                + (known.isEmpty() ? "(none reported)" : String.join(", ", known.stream().limit(40).toList())) + ".",
                known.stream().limit(40).toList());
    }

    static String agent(SessionApi api, String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        List<String> primary = new ArrayList<>();
        for (JsonNode a : api.agents()) {
            if (!a.path("hidden").asBoolean(false) && !"subagent".equals(a.path("mode").asText())) {
                primary.add(a.path("name").asText());
            }
        }
        if (primary.contains(name.trim())) {
            return name.trim();
        }
        throw new ToolError("Unknown agent \"" + name + "\". Agents that can take a prompt: "
                + String.join(", ", primary) + " (see `list_agents`).", primary);
    }
}
