package org.opencodemcp.server.transport;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.opencodemcp.server.tools.Cancellations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers stdio's {@code initialize} the moment it arrives, while the SDK's server is still being built
 * (plans/performance.md, cold start): the answer needs only the {@link ServerIdentity} and the protocol
 * versions, not the tools, schemas or Reactor, and it is read as a JSON tree and written with Jackson's
 * streaming writer, not its object mapping (whose first use took 60-90 ms here). The request still goes
 * on to the SDK, which takes the client's capabilities from it and answers it too; {@link SerializedSends}
 * drops that second, equal answer ({@link #isRepeat}).
 *
 * <p>Only a plain request is answered here: JSON-RPC 2.0, an integer or string id, and params the SDK
 * will read ({@link InitializeParams}). Anything else (a first line that is not initialize, or one the
 * SDK might refuse) is left to the usual path, which answers it as before.
 */
final class EarlyInitialize implements Consumer<byte[]> {
    private static final Logger LOG = LoggerFactory.getLogger(EarlyInitialize.class);

    private final ObjectMapper json;
    private final ServerIdentity identity;
    private final List<String> versions;
    private final AfterFirstFlush out;
    /** the key ({@link Cancellations#key}) of the request answered here, until the SDK's answer to it is dropped */
    private final AtomicReference<String> answered = new AtomicReference<>();

    /** @param out stdout; written under its monitor, as the SDK's writer does */
    EarlyInitialize(ObjectMapper json, ServerIdentity identity, List<String> versions, AfterFirstFlush out) {
        this.json = json;
        this.identity = identity;
        this.versions = versions;
        this.out = out;
    }

    /** Sees stdin's first line; answers it when it is a plain initialize request. */
    @Override
    public void accept(byte[] line) {
        byte[] answer = answerTo(line);
        if (answer == null) {
            return;
        }
        try {
            out.writeEarly(answer);
        } catch (IOException e) {
            LOG.debug("could not answer initialize early: {}", e.toString());
        }
    }

    /** The answer to {@code line} (one line, with its line end), or null when the usual path should answer it. */
    byte[] answerTo(byte[] line) {
        try {
            JsonNode node = json.readTree(line);
            if (node == null || !node.isObject() || !"2.0".equals(node.path("jsonrpc").asText(null))
                    || !"initialize".equals(node.path("method").asText(null)) || !InitializeParams.plain(node.get("params"))) {
                return null;
            }
            JsonNode id = node.get("id");
            if (id == null || !(id.isTextual() || id.isIntegralNumber() && id.canConvertToLong())) {
                return null;
            }
            JsonNode requested = node.get("params").get("protocolVersion");
            // the SDK reads a missing version as "": not one it supports, so it answers with its newest
            String version = ServerIdentity.negotiate(requested == null || requested.isNull() ? "" : requested.asText(), versions);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(2048);
            try (JsonGenerator g = json.getFactory().createGenerator(bytes, JsonEncoding.UTF8)) {
                g.writeStartObject();
                g.writeStringField("jsonrpc", McpSchema.JSONRPC_VERSION);
                if (id.isTextual()) {
                    g.writeStringField("id", id.asText());
                } else {
                    g.writeNumberField("id", id.longValue());
                }
                g.writeFieldName("result");
                identity.writeResult(g, version);
                g.writeEndObject();
            }
            bytes.write('\n');
            answered.set(Cancellations.key(GuardedStdin.CONNECTION, id.isTextual() ? id.asText() : id.longValue()));
            return bytes.toByteArray();
        } catch (IOException | RuntimeException e) {
            return null; // not JSON: the usual path answers
        }
    }

    /**
     * True, once, for the SDK's answer to the initialize answered here: the client already has it. Only an
     * initialize result counts (a client may reuse the id once it has its answer); an error answer is never
     * dropped: it would mean the SDK refused what was answered here, and the client should see that.
     */
    boolean isRepeat(McpSchema.JSONRPCResponse response) {
        String key = answered.get();
        if (key == null || !key.equals(Cancellations.key(GuardedStdin.CONNECTION, response.id()))) {
            return false;
        }
        if (response.error() != null) {
            LOG.warn("initialize was answered early, but the SDK refused it: {}", response.error().message());
            answered.set(null);
            return false;
        }
        return response.result() instanceof McpSchema.InitializeResult && answered.compareAndSet(key, null);
    }
}
