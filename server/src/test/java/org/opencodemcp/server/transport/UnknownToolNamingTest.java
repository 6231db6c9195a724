package org.opencodemcp.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UnknownToolNamingTest {
    private final McpJsonMapper json = UnknownToolNaming.mapper(new ObjectMapper());

    @Test
    void theSdksUnknownToolErrorNamesTheToolCalled() throws Exception {
        var sdk = new McpSchema.JSONRPCResponse.JSONRPCError(-32602, UnknownToolNaming.SDK_MESSAGE, "Tool not found: list_instancez");
        String wire = json.writeValueAsString(McpSchema.JSONRPCResponse.error(7, sdk));
        assertThat(wire).contains("\"message\":\"Unknown tool: list_instancez\"").contains("\"code\":-32602")
                .contains("\"id\":7").doesNotContain("invalid_tool_name");
        assertThat(new String(json.writeValueAsBytes(McpSchema.JSONRPCResponse.error(7, sdk)), "UTF-8"))
                .contains("Unknown tool: list_instancez");
    }

    @Test
    void everythingElseIsWrittenUnchanged() throws Exception {
        var other = new McpSchema.JSONRPCResponse.JSONRPCError(-32602, "Unknown tool: invalid_tool_name", null);
        assertThat(json.writeValueAsString(McpSchema.JSONRPCResponse.error(1, other))).contains("invalid_tool_name");
        var result = McpSchema.JSONRPCResponse.result(2, Map.of("ok", true));
        assertThat(json.writeValueAsString(result)).isEqualTo(new ObjectMapper().writeValueAsString(result));
        assertThat(json.readValue("{\"a\":1}", Map.class)).containsEntry("a", 1);
    }
}
