package org.opencodemcp.server.tools.session;

import java.util.ArrayList;
import java.util.List;
import org.opencodemcp.server.opencode.Agent;
import org.opencodemcp.server.opencode.ModelRef;
import org.opencodemcp.server.opencode.ProviderCatalog;
import org.opencodemcp.server.opencode.SessionApi;
import org.opencodemcp.server.tools.ToolError;

/**
 * Checks an {@code agent} or {@code model} argument against the server before it is sent: OpenCode
 * answers 500 for an unknown one, and an unknown model also sticks to the session and breaks its later turns, so a typo
 * must never reach it.
 */
final class AgentModelCheck {
    private AgentModelCheck() {}

    /** At most this many models are named in an error; the instance's own come first. */
    static final int MAX_LISTED = 40;

    static ModelRef model(SessionApi api, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        ProviderCatalog catalog = api.providers();
        ModelRef ref = ModelRef.parse(text.trim());
        if (catalog.offers(ref)) {
            return ref;
        }
        List<String> configured = new ArrayList<>();
        List<String> builtIn = new ArrayList<>();
        for (ProviderCatalog.Provider p : catalog.providers()) {
            // "config": set up in this instance's opencode.json, what the person means to use; anything
            // else is OpenCode's own catalogue (its free models), which would bury those in the message
            List<String> into = p.configured() ? configured : builtIn;
            catalog.models(p).forEach(m -> into.add(m.toString()));
        }
        throw new ToolError("Unknown model \"" + text + "\"; write it as provider/model. " + modelChoices(configured, builtIn));
    }

    /** "Configured on this instance: a/x, b/y. Built into OpenCode: ...", capped at {@link #MAX_LISTED} names. */
    static String modelChoices(List<String> configured, List<String> builtIn) {
        if (configured.isEmpty() && builtIn.isEmpty()) {
            return "The instance reports no models (see its opencode.json).";
        }
        StringBuilder out = new StringBuilder();
        List<String> first = configured.stream().limit(MAX_LISTED).toList();
        if (!first.isEmpty()) {
            out.append("Configured on this instance: ").append(String.join(", ", first)).append('.');
        }
        List<String> rest = builtIn.stream().limit(Math.max(0, MAX_LISTED - first.size())).toList();
        if (!rest.isEmpty()) {
            out.append(out.length() == 0 ? "" : " ").append("Built into OpenCode: ").append(String.join(", ", rest));
            out.append(builtIn.size() > rest.size() ? " (and " + (builtIn.size() - rest.size()) + " more)." : ".");
        }
        return out.toString();
    }

    static String agent(SessionApi api, String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        List<String> primary = api.agents().stream().filter(Agent::takesPrompts).map(Agent::name).toList();
        if (primary.contains(name.trim())) {
            return name.trim();
        }
        throw new ToolError("Unknown agent \"" + name + "\". Agents that can take a prompt: "
                + String.join(", ", primary) + " (see `list_agents`).");
    }
}
