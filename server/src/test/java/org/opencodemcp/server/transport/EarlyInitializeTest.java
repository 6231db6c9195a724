package org.opencodemcp.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EarlyInitializeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final McpJsonMapper MCP = UnknownToolNaming.mapper(JSON);
    private static final ServerIdentity IDENTITY = new ServerIdentity("opencode-mcp", "9.8.7", "Drives \"agents\"\nline two \u00e9");
    private static final McpSchema.InitializeResult RESULT = new McpSchema.InitializeResult("2025-06-18",
            IDENTITY.capabilities(), IDENTITY.serverInfo(), IDENTITY.instructions());
    private static final List<String> VERSIONS = new StdioServerTransportProvider(MCP).protocolVersions();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final AfterFirstFlush stdout = new AfterFirstFlush(out);
    private final EarlyInitialize early = new EarlyInitialize(new JsonFactory(), IDENTITY, stdout);

    EarlyInitializeTest() {
        early.serve(VERSIONS);
    }

    private static String initialize(String id, String version) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"" + version
                + "\",\"capabilities\":{\"roots\":{\"listChanged\":true},\"elicitation\":{}},"
                + "\"clientInfo\":{\"name\":\"strict\",\"version\":\"1\"}}}";
    }

    private JsonNode written() throws Exception {
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).endsWith("\n").containsOnlyOnce("\n");
        return JSON.readTree(text);
    }

    @Test
    void theVersionsReadBeforeTheSdkTransportExistsAreThatTransportsOwn() {
        // StdioTransport lets the early answer out before the mapper (so the SDK's transport) exists
        assertThat(StdioTransport.SDK_PROTOCOL_VERSIONS).isEqualTo(VERSIONS).contains("2025-06-18", "2024-11-05");
    }

    @Test
    void aPlainInitializeIsAnsweredAtOnceWithTheClientsVersion() throws Exception {
        early.accept(initialize("7", "2025-06-18").getBytes(StandardCharsets.UTF_8));

        JsonNode answer = written();
        assertThat(answer.path("id").asInt()).isEqualTo(7);
        assertThat(answer.path("result").path("protocolVersion").asText()).isEqualTo("2025-06-18");
        assertThat(answer.path("result").path("serverInfo").path("version").asText()).isEqualTo("9.8.7");
        assertThat(answer.path("result").path("capabilities").path("resources").path("subscribe").asBoolean()).isTrue();
        assertThat(answer.path("result").path("instructions").asText()).isEqualTo("Drives \"agents\"\nline two \u00e9");
    }

    @Test
    void aStringIdIsKeptAndAVersionItDoesNotKnowGetsTheNewest() throws Exception {
        early.accept(initialize("\"first\"", "2099-01-01").getBytes(StandardCharsets.UTF_8));

        JsonNode answer = written();
        assertThat(answer.path("id").isTextual()).isTrue();
        assertThat(answer.path("id").asText()).isEqualTo("first");
        assertThat(answer.path("result").path("protocolVersion").asText()).isEqualTo(VERSIONS.get(VERSIONS.size() - 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "garbage", "{}", "[1]", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\"}}",
        "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\"}}",
        "{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\"}}",
        "{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\"}}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":[]}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":5}}",
        "{\"jsonrpc\":\"2.0\",\"id\":99999999999999999999,\"method\":\"initialize\",\"params\":{}}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{}} {\"more\":1}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\"",
    })
    void anythingButAPlainInitializeIsLeftToTheUsualPath(String line) {
        early.accept(line.getBytes(StandardCharsets.UTF_8));
        assertThat(out.size()).isZero();
        assertThat(early.isRepeat(new McpSchema.JSONRPCResponse("2.0", 1, RESULT, null))).isFalse();
    }

    @Test
    @Timeout(10)
    void nothingGoesOutBeforeStartUpsChecksHavePassed() throws Exception {
        EarlyInitialize waiting = new EarlyInitialize(new JsonFactory(), IDENTITY, stdout);
        Thread reader = new Thread(() -> waiting.accept(initialize("1", "2025-06-18").getBytes(StandardCharsets.UTF_8)));
        reader.start();
        reader.join(300);
        assertThat(reader.isAlive()).as("the answer waits for serve()").isTrue();
        assertThat(out.size()).isZero();

        waiting.serve(VERSIONS).get(5, java.util.concurrent.TimeUnit.SECONDS);
        reader.join(5_000);
        assertThat(written().path("result").path("protocolVersion").asText()).isEqualTo("2025-06-18");
    }

    @Test
    void withoutAFirstLineTheWarmUpIsNotHeldBack() throws Exception {
        EarlyInitialize silent = new EarlyInitialize(new JsonFactory(), IDENTITY, stdout);
        silent.serve(VERSIONS).get(5, java.util.concurrent.TimeUnit.SECONDS); // completes after 200 ms without a line
        assertThat(out.size()).isZero();
    }

    @Test
    void theLineIsReadIntoTheTreeTheMapperWouldRead() throws Exception {
        String line = "{\"jsonrpc\":\"2.0\",\"id\":12,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                + "\"capabilities\":{\"experimental\":{\"n\":[1,-2.5e3,12345678901234567890,true,false,null,\"\\u00e9\\n\"],\"o\":{}}},"
                + "\"clientInfo\":{\"name\":\"a\\\"b\",\"version\":\"1\"},\"x\":1,\"x\":2}}";
        assertThat(early.plainInitialize(line.getBytes(StandardCharsets.UTF_8))).isEqualTo(JSON.readTree(line));
    }

    @Test
    void onlyTheSdksOwnInitializeAnswerIsDroppedAndOnlyOnce() {
        early.accept(initialize("1", "2025-06-18").getBytes(StandardCharsets.UTF_8));
        var ping = new McpSchema.JSONRPCResponse("2.0", 1, java.util.Map.of(), null); // the id reused after the answer
        var other = new McpSchema.JSONRPCResponse("2.0", 2, RESULT, null);
        var repeat = new McpSchema.JSONRPCResponse("2.0", 1, RESULT, null);

        assertThat(early.isRepeat(ping)).isFalse();
        assertThat(early.isRepeat(other)).isFalse();
        assertThat(early.isRepeat(repeat)).isTrue();
        assertThat(early.isRepeat(repeat)).isFalse();
    }

    @Test
    void anErrorFromTheSdkIsNeverDropped() {
        early.accept(initialize("\"x\"", "2025-06-18").getBytes(StandardCharsets.UTF_8));
        var refused = new McpSchema.JSONRPCResponse("2.0", "x", null,
                new McpSchema.JSONRPCResponse.JSONRPCError(-32603, "refused", null));
        assertThat(early.isRepeat(refused)).isFalse();
    }

    /** The early answer and the SDK's own, for the same request, are the same JSON. */
    @ParameterizedTest
    @ValueSource(strings = {"2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25", "2099-01-01", "(none)"})
    @Timeout(30)
    void theEarlyAnswerIsTheOneTheSdkGives(String version) throws Exception {
        // the SDK reads a request without protocolVersion, capabilities or clientInfo with defaults, and answers it
        String request = version.equals("(none)") ? "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"initialize\",\"params\":{}}"
                : initialize("3", version);
        early.accept(request.getBytes(StandardCharsets.UTF_8));

        PipedOutputStream toServer = new PipedOutputStream();
        PipedInputStream serverIn = new PipedInputStream(toServer, 1 << 16);
        PipedInputStream fromServer = new PipedInputStream(1 << 16);
        OutputStream serverOut = new PipedOutputStream(fromServer);
        McpSyncServer sdk = McpServer.sync(new StdioServerTransportProvider(MCP, serverIn, serverOut)).jsonMapper(MCP)
                .serverInfo(IDENTITY.serverInfo()).capabilities(IDENTITY.capabilities()).instructions(IDENTITY.instructions())
                .build();
        try {
            toServer.write((request + "\n").getBytes(StandardCharsets.UTF_8));
            toServer.flush();
            String sdkAnswer = new BufferedReader(new InputStreamReader(fromServer, StandardCharsets.UTF_8)).readLine();
            assertThat(written()).isEqualTo(JSON.readTree(sdkAnswer));
        } finally {
            sdk.close();
            toServer.close();
        }
    }
}
