package org.opencodemcp.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InitializeParamsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final McpJsonMapper MCP = UnknownToolNaming.mapper(JSON);

    /** What real clients send (and a few odd but valid shapes): plain, and the SDK reads every one of them. */
    @ParameterizedTest
    @ValueSource(strings = {
        "{}",
        "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"claude-code\",\"version\":\"2.0.1\"}}",
        "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{\"sampling\":{},\"elicitation\":{\"form\":{},\"url\":{}},"
                + "\"roots\":{\"listChanged\":true},\"tasks\":{\"requests\":{}},\"experimental\":{\"x\":5}},"
                + "\"clientInfo\":{\"name\":\"inspector\",\"title\":\"MCP Inspector\",\"version\":\"0.17\",\"websiteUrl\":\"https://x\"}}",
        "{\"protocolVersion\":\"2024-11-05\",\"capabilities\":{\"roots\":{}},\"clientInfo\":{\"name\":\"old\",\"version\":\"1\",\"extra\":[1]},"
                + "\"_meta\":{\"progressToken\":1},\"unknownMember\":true}",
        "{\"protocolVersion\":null,\"capabilities\":null,\"clientInfo\":null}",
        "{\"capabilities\":{\"extensions\":{\"io.example/ext\":{\"on\":true},\"other\":null},\"elicitation\":{}}}",
    })
    void plainParamsAreReadByTheSdk(String params) throws Exception {
        JsonNode node = JSON.readTree(params);
        assertThat(InitializeParams.plain(node)).isTrue();
        assertThatCode(() -> MCP.convertValue(node, McpSchema.InitializeRequest.class)).doesNotThrowAnyException();
    }

    /** Shapes the SDK may refuse or coerce: not plain, so the SDK answers them itself. */
    @ParameterizedTest
    @ValueSource(strings = {
        "[]", "\"x\"", "{\"protocolVersion\":2025}", "{\"capabilities\":[]}", "{\"capabilities\":{\"roots\":{\"listChanged\":\"yes\"}}}",
        "{\"capabilities\":{\"roots\":true}}", "{\"capabilities\":{\"sampling\":1}}", "{\"capabilities\":{\"elicitation\":{\"form\":true}}}",
        "{\"capabilities\":{\"extensions\":{\"a\":5}}}", "{\"capabilities\":{\"experimental\":[]}}", "{\"clientInfo\":\"me\"}",
        "{\"clientInfo\":{\"name\":\"x\",\"version\":1}}", "{\"clientInfo\":{\"name\":\"x\",\"icons\":[{\"src\":\"a.png\"}]}}",
        "{\"_meta\":5}",
    })
    void otherShapesAreLeftToTheSdk(String params) throws Exception {
        assertThat(InitializeParams.plain(JSON.readTree(params))).isFalse();
    }
}
