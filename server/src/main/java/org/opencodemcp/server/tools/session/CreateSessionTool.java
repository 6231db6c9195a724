package org.opencodemcp.server.tools.session;

import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;
import org.opencodemcp.server.opencode.ModelRef;
import org.opencodemcp.server.opencode.SessionInfo;
import org.opencodemcp.server.tools.Markdown;
import org.opencodemcp.server.tools.McpTool;
import org.opencodemcp.server.tools.ToolArgs;
import org.opencodemcp.server.tools.ToolResults;

/** {@code create_session}: a new session on an instance, with optional title, agent and model. */
final class CreateSessionTool implements McpTool {
    static final String AGENT_PROPERTY = "\"agent\":{\"type\":\"string\",\"description\":\"Primary agent, e.g. build or plan (see list_agents)\"}";
    static final String MODEL_PROPERTY = "\"model\":{\"type\":\"string\",\"description\":\"Model as provider/model, e.g. anthropic/claude-sonnet-4\"}";
    private final SessionLookup lookup;

    CreateSessionTool(SessionLookup lookup) {
        this.lookup = lookup;
    }

    @Override
    public McpSchema.Tool definition() {
        return SessionSchemas.tool("create_session", "Create a session",
                        "Create a new OpenCode session on an instance. Optional title, agent and model (checked against "
                                + "the instance's configuration first).",
                        SessionSchemas.input("\"title\":{\"type\":\"string\"}," + AGENT_PROPERTY + "," + MODEL_PROPERTY),
                        "{\"type\":\"object\",\"required\":[\"instance\",\"session\"],\"properties\":{"
                                + "\"instance\":{\"type\":\"string\"},\"session\":" + SessionSchemas.sessionSummary() + "}}")
                .annotations(SessionSchemas.acting(false)).build();
    }

    @Override
    public McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        ToolArgs args = new ToolArgs(request.arguments());
        SessionLookup.Target t = lookup.instance(args.requiredString("instance"));
        String agent = AgentModelCheck.agent(t.api(), args.string("agent"));
        ModelRef model = AgentModelCheck.model(t.api(), args.string("model"));
        SessionInfo s = t.api().create(args.string("title"), agent, model);
        String md = "Created session on **" + t.name() + "**:\n- **ID:** " + Markdown.code(s.id())
                + "\n- **Title:** " + Markdown.cell(s.title())
                + (agent == null ? "" : "\n- **Agent:** " + agent)
                + (model == null ? "" : "\n- **Model:** " + model)
                + "\n\nSend to it with `send_message` and session " + Markdown.code(s.id()) + ".";
        Map<String, Object> out = ToolResults.object();
        out.put("instance", t.name());
        out.put("session", SessionRows.structured(s, s.id().length(), null));
        return ToolResults.success(md, out);
    }
}
