package org.opencodemcp.server.tools.session;

import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.opencodemcp.server.opencode.Agent;
import org.opencodemcp.server.tools.Markdown;
import org.opencodemcp.server.tools.McpTool;
import org.opencodemcp.server.tools.ToolArgs;
import org.opencodemcp.server.tools.ToolResults;

/** {@code list_agents}: the agents an instance offers (hidden internal ones left out). */
final class ListAgentsTool implements McpTool {
    private final SessionLookup lookup;

    ListAgentsTool(SessionLookup lookup) {
        this.lookup = lookup;
    }

    @Override
    public McpSchema.Tool definition() {
        return SessionSchemas.tool("list_agents", "List agents of an instance",
                        "List the agents of an instance: primary ones (build, plan, ...) can be passed as `agent` to "
                                + "send_message or create_session; subagents are used by the agent itself.",
                        SessionSchemas.input(""),
                        "{\"type\":\"object\",\"required\":[\"instance\",\"agents\"],\"properties\":{"
                                + "\"instance\":{\"type\":\"string\"},\"agents\":{\"type\":\"array\",\"items\":{"
                                + "\"type\":\"object\",\"required\":[\"name\"],\"properties\":{\"name\":{\"type\":\"string\"},"
                                + "\"mode\":{\"type\":\"string\"},\"description\":{\"type\":\"string\"},"
                                + "\"model\":{\"type\":\"string\"}}}}}}")
                .annotations(SessionSchemas.readOnly()).build();
    }

    @Override
    public McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        SessionLookup.Target t = lookup.instance(new ToolArgs(request.arguments()).requiredString("instance"));
        List<Map<String, Object>> agents = new ArrayList<>();
        StringBuilder md = new StringBuilder("Agents on **").append(t.name()).append("**:\n\n| Agent | Mode | Description |\n|---|---|---|\n");
        for (Agent a : t.api().agents()) {
            if (a.hidden() || a.name() == null) {
                continue;
            }
            Map<String, Object> m = ToolResults.object();
            m.put("name", a.name());
            m.put("mode", a.mode());
            m.put("description", a.description());
            if (a.model() != null) {
                m.put("model", a.model().toString());
            }
            agents.add(m);
            md.append("| ").append(Markdown.cell(m.get("name"))).append(" | ").append(Markdown.cell(m.get("mode")))
                    .append(" | ").append(Markdown.cell(m.get("description"))).append(" |\n");
        }
        Map<String, Object> out = ToolResults.object();
        out.put("instance", t.name());
        out.put("agents", agents);
        return ToolResults.success(md.toString().stripTrailing(), out);
    }
}
