package org.opencodemcp.server.transport;

import com.fasterxml.jackson.core.JsonGenerator;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.util.List;

/**
 * What the server says about itself when a client initializes: its name, version and instructions, and
 * its capabilities (tools with a fixed list, resources one can subscribe to, log messages). The SDK's
 * server is given {@link #serverInfo()} and {@link #capabilities()}; stdio's early answer
 * ({@link EarlyInitialize}) writes the same result itself with {@link #writeResult}, without Jackson's
 * object mapping, which costs tens of milliseconds the first time. A test holds the two to the same JSON.
 */
public record ServerIdentity(String name, String version, String instructions) {

    public McpSchema.Implementation serverInfo() {
        return new McpSchema.Implementation(name, version);
    }

    public McpSchema.ServerCapabilities capabilities() {
        return McpSchema.ServerCapabilities.builder().tools(false).resources(true, false).logging().build();
    }

    /**
     * The protocol version answered to a client that asked for {@code requested}: the SDK's rule
     * (McpAsyncServer, 2.1.0): that version when the transport supports it, else the newest it supports.
     */
    static String negotiate(String requested, List<String> supported) {
        return supported.contains(requested) ? requested : supported.get(supported.size() - 1);
    }

    /** Writes the initialize result object, as the SDK serializes its {@code InitializeResult} for this identity. */
    void writeResult(JsonGenerator g, String protocolVersion) throws IOException {
        g.writeStartObject();
        g.writeStringField("protocolVersion", protocolVersion);
        g.writeObjectFieldStart("capabilities");
        g.writeObjectFieldStart("logging");
        g.writeEndObject();
        g.writeObjectFieldStart("resources");
        g.writeBooleanField("subscribe", true);
        g.writeBooleanField("listChanged", false);
        g.writeEndObject();
        g.writeObjectFieldStart("tools");
        g.writeBooleanField("listChanged", false);
        g.writeEndObject();
        g.writeEndObject();
        g.writeObjectFieldStart("serverInfo");
        g.writeStringField("name", name);
        g.writeStringField("version", version);
        g.writeEndObject();
        g.writeStringField("instructions", instructions);
        g.writeEndObject();
    }
}
