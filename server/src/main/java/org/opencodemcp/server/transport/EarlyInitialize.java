package org.opencodemcp.server.transport;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.opencodemcp.server.tools.Cancellations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers stdio's {@code initialize} the moment it arrives, while the SDK's server is still being built
 * (plans/performance.md, cold start): the answer needs only the {@link ServerIdentity} and the protocol
 * versions, not the tools, schemas or Reactor. The line is read into a JSON tree by {@link PlainJsonReader}
 * (not Jackson's parser: on JDK 25 its first use costs 17-40 ms) and the answer written with Jackson's
 * streaming writer, not its object mapping (whose first use took 60-90 ms here), so neither waits for
 * the shared mapper. It goes out once start-up's checks have passed
 * ({@link #serve}): a process that exits with a bad setting never answered. The request still goes
 * on to the SDK, which takes the client's capabilities from it and answers it too; {@link SerializedSends}
 * drops that second, equal answer ({@link #isRepeat}).
 *
 * <p>Only a plain request is answered here: JSON-RPC 2.0, an integer or string id, and params the SDK
 * will read ({@link InitializeParams}). Anything else (a first line that is not initialize, or one the
 * SDK might refuse) is left to the usual path, which answers it as before.
 */
final class EarlyInitialize implements Consumer<byte[]> {
    private static final Logger LOG = LoggerFactory.getLogger(EarlyInitialize.class);
    /** With no first line by then, the warm-up ({@link #serve}'s future) starts anyway. */
    private static final long NO_LINE_MS = 200;

    private final JsonFactory jackson;
    private final ServerIdentity identity;
    private final AfterFirstFlush out;
    /** the protocol versions, once start-up's checks have passed and the server will serve ({@link #serve}) */
    private final CompletableFuture<List<String>> serving = new CompletableFuture<>();
    /** completes once the first line was answered here or left to the SDK */
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    /** the key ({@link Cancellations#key}) of the request answered here, until the SDK's answer to it is dropped */
    private final AtomicReference<String> answered = new AtomicReference<>();

    /**
     * @param jackson writes the answer (and warms its parser once answered): a plain factory, so the early
     *        answer does not wait for the shared mapper to be made
     * @param out stdout; written under its monitor, as the SDK's writer does
     */
    EarlyInitialize(JsonFactory jackson, ServerIdentity identity, AfterFirstFlush out) {
        this.jackson = jackson;
        this.identity = identity;
        this.out = out;
    }

    /**
     * Start-up's checks have passed: an early answer may go out now, negotiated against {@code versions}.
     * Until then a request read is kept: a process that exits on a bad setting never answered.
     *
     * @return completes once the first line was answered here or left to the SDK (or after 200 ms without one)
     */
    CompletableFuture<Void> serve(List<String> versions) {
        serving.complete(List.copyOf(versions));
        return done.completeOnTimeout(null, NO_LINE_MS, TimeUnit.MILLISECONDS);
    }

    /** Sees stdin's first line; answers it when it is a plain initialize request (once {@link #serve} was called). */
    @Override
    public void accept(byte[] line) {
        try {
            JsonNode request = plainInitialize(line);
            if (request == null) {
                return;
            }
            byte[] answer = answer(request, serving.join());
            answered.set(Cancellations.key(GuardedStdin.CONNECTION, JsonRpcIds.of(request.get("id"))));
            out.writeEarly(answer);
        } catch (IOException | RuntimeException e) {
            answered.set(null);
            LOG.debug("could not answer initialize early: {}", e.toString());
        } finally {
            done.complete(null);
        }
        warmParser(line);
    }

    /**
     * Reads {@code line} once with Jackson's parser and drops what it read. The SDK's reader parses this
     * same line first, once the server is built; the parser's first use (BigDecimal's set-up on JDK 25,
     * 17-40 ms) is done here, on this otherwise idle thread, while the main thread builds the server.
     */
    private void warmParser(byte[] line) {
        try (JsonParser p = jackson.createParser(line)) {
            while (p.nextToken() != null) {
                p.skipChildren();
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: the usual path answers that
        }
    }

    /** The request on {@code line} when it is a plain initialize request, else null (the usual path answers it). */
    JsonNode plainInitialize(byte[] line) {
        JsonNode node = PlainJsonReader.read(line);
        if (node == null) {
            return null; // not JSON, or not JSON this reader takes: the usual path says what
        }
        if (!node.isObject() || !"2.0".equals(node.path("jsonrpc").asText(null))
                || !"initialize".equals(node.path("method").asText(null)) || !InitializeParams.plain(node.get("params"))) {
            return null;
        }
        JsonNode id = node.get("id");
        return id != null && (id.isTextual() || id.isIntegralNumber() && id.canConvertToLong()) ? node : null;
    }

    /** The answer line to a plain initialize request. */
    byte[] answer(JsonNode request, List<String> versions) throws IOException {
        JsonNode requested = request.get("params").get("protocolVersion");
        // the SDK reads a missing version as "": not one it supports, so it answers with its newest
        String version = ServerIdentity.negotiate(requested == null || requested.isNull() ? "" : requested.asText(), versions);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(2048);
        try (JsonGenerator g = jackson.createGenerator(bytes, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("jsonrpc", McpSchema.JSONRPC_VERSION);
            Object id = JsonRpcIds.of(request.get("id"));
            if (id instanceof String text) {
                g.writeStringField("id", text);
            } else {
                g.writeNumberField("id", (Long) id);
            }
            g.writeFieldName("result");
            identity.writeResult(g, version);
            g.writeEndObject();
        }
        bytes.write('\n');
        return bytes.toByteArray();
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
