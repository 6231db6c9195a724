package org.opencodemcp.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.Test;

class JsonWarmUpTest {

    private static String initializeAnswer(ObjectMapper json) throws Exception {
        McpSchema.InitializeResult result = new McpSchema.InitializeResult("2025-06-18",
                McpSchema.ServerCapabilities.builder().tools(false).logging().build(),
                new McpSchema.Implementation("opencode-mcp", "1.0"), "instructions");
        return new JacksonMcpJsonMapper(json).writeValueAsString(new McpSchema.JSONRPCResponse("2.0", 7, result, null));
    }

    @Test
    void aWarmedMapperWritesExactlyWhatAFreshOneWrites() throws Exception {
        ObjectMapper warmed = new ObjectMapper();
        JsonWarmUp.run(warmed, new ServerIdentity("opencode-mcp", "1.0", "instructions"));
        assertThat(initializeAnswer(warmed)).isEqualTo(initializeAnswer(new ObjectMapper()))
                .contains("\"serverInfo\":{\"name\":\"opencode-mcp\"");
    }
}
