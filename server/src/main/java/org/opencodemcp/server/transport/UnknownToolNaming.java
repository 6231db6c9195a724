package org.opencodemcp.server.transport;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;

/**
 * The JSON mapper both transports write with. It serializes as Jackson does, except for one SDK
 * reply: for a {@code tools/call} of a tool that does not exist the MCP SDK (2.1.0) answers
 * {@code -32602 "Unknown tool: invalid_tool_name"}, the spec's example text taken literally, and puts
 * the real name only in {@code data}, which clients such as the TypeScript SDK never show. This writes
 * {@code "Unknown tool: <the name called>"} instead, so the caller (and its model) sees what it called.
 */
public final class UnknownToolNaming implements McpJsonMapper {
    static final String SDK_MESSAGE = "Unknown tool: invalid_tool_name";
    static final String SDK_DATA_PREFIX = "Tool not found: ";

    private final McpJsonMapper delegate;

    private UnknownToolNaming(McpJsonMapper delegate) {
        this.delegate = delegate;
    }

    public static McpJsonMapper mapper(ObjectMapper json) {
        return new UnknownToolNaming(new JacksonMcpJsonMapper(json));
    }

    /** {@code message}, or the same response naming the unknown tool when it is the SDK's unknown-tool error. */
    static Object named(Object message) {
        if (message instanceof McpSchema.JSONRPCResponse response && response.error() != null
                && SDK_MESSAGE.equals(response.error().message())
                && response.error().data() instanceof String data && data.startsWith(SDK_DATA_PREFIX)) {
            String tool = data.substring(SDK_DATA_PREFIX.length());
            var error = new McpSchema.JSONRPCResponse.JSONRPCError(response.error().code(), "Unknown tool: " + tool, data);
            return new McpSchema.JSONRPCResponse(response.jsonrpc(), response.id(), response.result(), error);
        }
        return message;
    }

    @Override
    public String writeValueAsString(Object value) throws IOException {
        return delegate.writeValueAsString(named(value));
    }

    @Override
    public byte[] writeValueAsBytes(Object value) throws IOException {
        return delegate.writeValueAsBytes(named(value));
    }

    @Override
    public <T> T readValue(String content, Class<T> type) throws IOException {
        return delegate.readValue(content, type);
    }

    @Override
    public <T> T readValue(byte[] content, Class<T> type) throws IOException {
        return delegate.readValue(content, type);
    }

    @Override
    public <T> T readValue(String content, TypeRef<T> type) throws IOException {
        return delegate.readValue(content, type);
    }

    @Override
    public <T> T readValue(byte[] content, TypeRef<T> type) throws IOException {
        return delegate.readValue(content, type);
    }

    @Override
    public <T> T convertValue(Object fromValue, Class<T> type) {
        return delegate.convertValue(fromValue, type);
    }

    @Override
    public <T> T convertValue(Object fromValue, TypeRef<T> type) {
        return delegate.convertValue(fromValue, type);
    }
}
