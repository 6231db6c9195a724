package org.opencodemcp.server.transport;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.opencodemcp.server.threads.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes the first exchange's messages once (an initialize request and its answer, a
 * tools/list answer) on a thread of its own, while the main thread builds the server. Jackson makes a
 * type's (de)serializer the first time it meets the type (reflection over the SDK's records, a proxy
 * class per annotation type), and the mapper keeps it: done here, on the second core, that work leaves
 * the path to the initialize answer (plans/performance.md, cold start). Nothing here reaches the
 * client; a failure only means the first answer builds them itself, as before.
 */
public final class JsonWarmUp {
    private static final Logger LOG = LoggerFactory.getLogger(JsonWarmUp.class);
    private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{"
            + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{\"roots\":{\"listChanged\":true}},"
            + "\"clientInfo\":{\"name\":\"warm-up\",\"version\":\"0\"}}}";

    private JsonWarmUp() {}

    /** Starts the warm-up on the mapper the transport and the server will use, with the server's own identity. */
    static void start(ObjectMapper json, ServerIdentity identity) {
        DaemonThreads.thread("json-warm-up", () -> run(json, identity)).start();
    }

    static void run(ObjectMapper json, ServerIdentity identity) {
        try {
            McpJsonMapper mcp = new JacksonMcpJsonMapper(json);
            json.readTree(INITIALIZE); // GuardedStdin's look at each line
            if (McpSchema.deserializeJsonRpcMessage(mcp, INITIALIZE) instanceof McpSchema.JSONRPCRequest request) {
                mcp.convertValue(request.params(), McpSchema.InitializeRequest.class);
            }
            mcp.writeValueAsString(new McpSchema.JSONRPCResponse("2.0", 0, new McpSchema.InitializeResult("2025-06-18",
                    identity.capabilities(), identity.serverInfo(), identity.instructions()), null));
            McpSchema.Tool tool = McpSchema.Tool.builder().name("warm_up").description("warm-up")
                    .inputSchema(Map.of("type", "object")).outputSchema(Map.of("type", "object")).build();
            mcp.writeValueAsString(new McpSchema.JSONRPCResponse("2.0", 1, new McpSchema.ListToolsResult(List.of(tool), null), null));
        } catch (IOException | RuntimeException e) {
            LOG.debug("JSON warm-up: {}", e.toString());
        }
    }
}
