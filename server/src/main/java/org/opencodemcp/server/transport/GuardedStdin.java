package org.opencodemcp.server.transport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.opencodemcp.server.tools.Cancellations;
import org.opencodemcp.server.tools.LogLevels;
import org.opencodemcp.server.tools.SubscriptionGate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits between stdin and the SDK's stdio transport and lets only well-formed JSON-RPC lines through.
 *
 * <p>The SDK ends the whole session on one blank, non-JSON or non-JSON-RPC line. Here a blank line
 * is skipped, an unparsable one is answered with {@code -32700 Parse error}, a line that is JSON
 * but not a JSON-RPC message with {@code -32600 Invalid Request}, and an oversized one with
 * {@code -32600} too; the session goes on. Answers are written under the same monitor the SDK
 * uses for stdout, so lines never interleave.
 */
public final class GuardedStdin extends InputStream {
    private static final Logger LOG = LoggerFactory.getLogger(GuardedStdin.class);

    private final InputStream in;
    private final OutputStream out;
    private final McpJsonMapper mcpJson;
    private final ObjectMapper json;
    private final int maxLineBytes;
    private Runnable onEndOfInput;
    private byte[] current = new byte[0];
    private int pos;
    private boolean eof;
    private boolean initializeSeen;
    private Cancellations cancellations;
    private SubscriptionGate subscriptions;
    private LogLevels logLevels;
    /** The one connection of stdio, for {@link Cancellations#key}. */
    static final String CONNECTION = "stdio";

    GuardedStdin(InputStream in, OutputStream out, McpJsonMapper mcpJson, ObjectMapper json, int maxLineBytes) {
        this.in = in;
        this.out = out;
        this.mcpJson = mcpJson;
        this.json = json;
        this.maxLineBytes = maxLineBytes;
    }

    /** Called when stdin closes (the client went away). */
    GuardedStdin endingWith(Runnable onEnd) {
        this.onEndOfInput = onEnd;
        return this;
    }

    /** Catches {@code notifications/cancelled} and tags every {@code tools/call} with its call key. */
    GuardedStdin cancelling(Cancellations c) {
        this.cancellations = c;
        return this;
    }

    /** Refuses {@code resources/subscribe} to unknown resources or beyond the bound, with -32602. */
    GuardedStdin gating(SubscriptionGate gate) {
        this.subscriptions = gate;
        return this;
    }

    /**
     * Answers {@code logging/setLevel} here and keeps the level in {@code levels}: the SDK's own level is
     * not reachable outside a request, and the fleet's log notifications are sent from outside any.
     */
    GuardedStdin logging(LogLevels levels) {
        this.logLevels = levels;
        return this;
    }

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return current[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        return n;
    }

    /** Makes sure there are unread bytes of an accepted line; false at end of input. */
    private boolean fill() throws IOException {
        while (pos >= current.length) {
            if (eof) {
                return false;
            }
            byte[] line = readLine();
            if (line == null) {
                eof = true;
                if (onEndOfInput != null) {
                    onEndOfInput.run();
                }
                return false;
            }
            line = accept(line);
            if (line != null) {
                byte[] withNewline = new byte[line.length + 1];
                System.arraycopy(line, 0, withNewline, 0, line.length);
                withNewline[line.length] = '\n';
                current = withNewline;
                pos = 0;
            }
        }
        return true;
    }

    /** Reads one line without its terminator; an oversized line is consumed, answered and replaced by an empty one. */
    private byte[] readLine() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
        boolean oversized = false;
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                break;
            }
            if (oversized) {
                continue;
            }
            if (buf.size() >= maxLineBytes) {
                oversized = true;
                continue;
            }
            buf.write(c);
        }
        if (c == -1 && buf.size() == 0 && !oversized) {
            return null;
        }
        if (oversized) {
            LOG.warn("stdin: dropped a message over {} bytes", maxLineBytes);
            reply(error(null, -32600, "Invalid Request: message exceeds " + maxLineBytes + " bytes"));
            return new byte[0];
        }
        byte[] line = buf.toByteArray();
        int end = line.length;
        if (end > 0 && line[end - 1] == '\r') {
            end--;
        }
        return end == line.length ? line : java.util.Arrays.copyOf(line, end);
    }

    /** The line to pass on (maybe tagged), or null when it was answered or consumed here. */
    private byte[] accept(byte[] line) {
        String text = new String(line, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return null;
        }
        JsonNode node;
        try {
            node = json.readTree(text);
        } catch (JsonProcessingException e) {
            LOG.warn("stdin: answered a line that is not JSON with -32700");
            reply(error(null, -32700, "Parse error: the line is not valid JSON"));
            return null;
        }
        JsonNode id = node != null && node.isObject() ? node.get("id") : null;
        if (node == null || !node.isObject() || !"2.0".equals(node.path("jsonrpc").asText(null))) {
            reply(error(validId(id), -32600, "Invalid Request: expected a JSON-RPC 2.0 object"));
            return null;
        }
        try {
            McpSchema.deserializeJsonRpcMessage(mcpJson, text);
        } catch (Exception e) {
            LOG.warn("stdin: answered a malformed JSON-RPC message with -32600");
            reply(error(validId(id), -32600, "Invalid Request: not a JSON-RPC request, notification or response"));
            return null;
        }
        String method = node.path("method").asText(null);
        if (!initializeSeen && method != null && validId(id) != null) {
            // the SDK drops requests that come before initialize without a word; the client would wait forever
            if (method.equals("initialize")) {
                initializeSeen = true;
            } else if (method.equals("ping")) {
                ObjectNode pong = JsonNodeFactory.instance.objectNode().put("jsonrpc", "2.0");
                pong.set("id", id);
                pong.putObject("result");
                reply(pong);
                return null;
            } else {
                LOG.warn("stdin: answered a request before initialize with -32600");
                reply(error(id, -32600, "Invalid Request: the session is not initialized; send initialize first"));
                return null;
            }
        }
        if (subscriptions != null && method != null && validId(id) != null) {
            String uri = node.path("params").path("uri").asText(null);
            if (method.equals("resources/unsubscribe")) {
                subscriptions.unsubscribe(CONNECTION, uri);
            } else if (method.equals("resources/subscribe")) {
                String refused = subscriptions.subscribe(CONNECTION, uri);
                if (refused != null) {
                    reply(error(id, -32602, "Invalid params: " + refused));
                    return null;
                }
            }
        }
        if (logLevels != null && "logging/setLevel".equals(method) && validId(id) != null) {
            String refused = logLevels.setLevel(CONNECTION, node.path("params").path("level").asText(null));
            if (refused != null) {
                reply(error(id, -32602, "Invalid params: " + refused));
            } else {
                ObjectNode ok = JsonNodeFactory.instance.objectNode().put("jsonrpc", "2.0");
                ok.set("id", id);
                ok.putObject("result");
                reply(ok);
            }
            return null;
        }
        if (cancellations != null && method != null) {
            if (method.equals("notifications/cancelled")) {
                // the SDK has no handler for it: stop the named call here and pass nothing on
                JsonNode requestId = validId(node.path("params").get("requestId"));
                if (requestId != null) {
                    cancellations.cancel(Cancellations.key(CONNECTION, JsonRpcIds.of(requestId)));
                }
                return null;
            }
            if (method.equals("tools/call") && validId(id) != null && node.path("params").isObject()) {
                ObjectNode params = (ObjectNode) node.get("params");
                JsonNode meta = params.get("_meta");
                ObjectNode m = meta != null && meta.isObject() ? (ObjectNode) meta : params.putObject("_meta");
                m.put(Cancellations.META_KEY, Cancellations.key(CONNECTION, JsonRpcIds.of(id)));
                try {
                    return json.writeValueAsBytes(node);
                } catch (JsonProcessingException e) {
                    return line;
                }
            }
        }
        return line;
    }

    private static JsonNode validId(JsonNode id) {
        return id != null && (id.isTextual() || id.isIntegralNumber()) ? id : null;
    }

    private ObjectNode error(JsonNode id, int code, String message) {
        ObjectNode msg = JsonNodeFactory.instance.objectNode();
        msg.put("jsonrpc", "2.0");
        msg.set("id", id == null ? JsonNodeFactory.instance.nullNode() : id);
        ObjectNode err = msg.putObject("error");
        err.put("code", code);
        err.put("message", message);
        return msg;
    }

    private void reply(ObjectNode message) {
        try {
            byte[] bytes = (json.writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8);
            synchronized (out) { // the SDK's writer synchronizes on this same stream
                out.write(bytes);
                out.flush();
            }
        } catch (IOException e) {
            LOG.debug("could not answer a bad line: {}", e.toString());
        }
    }
}
