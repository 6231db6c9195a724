package org.opencodemcp.server.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Short HTTP error bodies: a JSON-RPC error with a null id, e.g.
 * {@code {"jsonrpc":"2.0","id":null,"error":{"code":-32001,"message":"..."}}}. Never a stack trace.
 */
final class JsonErrors {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_MESSAGE = 300;
    /** The JSON-RPC code the SDK servlet answers an unknown session with (its "internal error"). */
    static final int SDK_SESSION_NOT_FOUND = -32603;

    private JsonErrors() {}

    static byte[] body(int code, String message) {
        ObjectNode root = JSON.createObjectNode();
        root.put("jsonrpc", "2.0");
        root.putNull("id");
        ObjectNode error = root.putObject("error");
        error.put("code", code);
        error.put("message", shorten(message));
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            return ("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":" + code + ",\"message\":\"error\"}}")
                    .getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Writes a complete error response on {@code response} (which must not be committed). */
    static void write(HttpServletResponse response, int status, String message) throws IOException {
        byte[] body = body(rpcCode(status), message);
        response.resetBuffer();
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.flushBuffer();
    }

    /**
     * The SDK servlet's answer to a request for a session it does not have (or no longer has): 404, its
     * JSON-RPC code (-32603) and message, so a client cannot tell our filter's answer from the SDK's.
     */
    static void writeSessionNotFound(HttpServletResponse response, String session) throws IOException {
        // written as the SDK writes it (status, then the writer, flushed), so SafeErrorResponse takes it the same way
        response.setStatus(404);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        java.io.PrintWriter out = response.getWriter();
        out.write(new String(body(SDK_SESSION_NOT_FOUND, "Session not found: " + session), StandardCharsets.UTF_8));
        out.flush();
    }

    /** Answers a JSON-RPC request with an error (HTTP 200, as a JSON-RPC answer; the id is the request's). */
    static void writeRpc(HttpServletResponse response, JsonNode id, int code, String message) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("jsonrpc", "2.0");
        root.set("id", id);
        ObjectNode error = root.putObject("error");
        error.put("code", code);
        error.put("message", shorten(message));
        byte[] body = JSON.writeValueAsBytes(root);
        response.setStatus(200);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.flushBuffer();
    }

    /** Answers a JSON-RPC request with an empty result object (HTTP 200, {@code application/json}). */
    static void writeEmptyResult(HttpServletResponse response, JsonNode id) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("jsonrpc", "2.0");
        root.set("id", id);
        root.putObject("result");
        byte[] body = JSON.writeValueAsBytes(root);
        response.setStatus(200);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.flushBuffer();
    }

    /** The JSON-RPC code used for an HTTP status without a more precise one. */
    static int rpcCode(int status) {
        return switch (status) {
            case 401 -> -32001;
            case 403 -> -32003;
            case 404 -> -32004;
            case 500 -> -32603;
            default -> -32000;
        };
    }

    /** A one-line explanation of a status the MCP servlet or the container answered without one. */
    static String defaultMessage(int status) {
        return switch (status) {
            case 400 -> "Bad request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not found (unknown path, or the MCP session ended: initialize a new one)";
            case 405 -> "Method not allowed";
            case 406 -> "Not acceptable: send 'Accept: application/json, text/event-stream'";
            case 413 -> "Request too large";
            case 415 -> "Unsupported media type: send 'Content-Type: application/json'";
            case 500 -> "Internal server error (details are in the server log)";
            case 503 -> "Service unavailable";
            default -> "HTTP error " + status;
        };
    }

    /**
     * Rewrites a body the MCP servlet produced for an error (the serialized exception, with its stack
     * trace, see java-sdk#955) into a short one: keeps the JSON-RPC code and message only.
     */
    static byte[] sanitize(int status, byte[] original) {
        int code = rpcCode(status);
        String message = null;
        try {
            JsonNode node = JSON.readTree(original);
            if (node != null && node.isObject()) {
                JsonNode rpc = node.has("jsonRpcError") ? node.get("jsonRpcError") : node.get("error");
                if (rpc != null && rpc.isObject()) {
                    if (rpc.path("code").isInt()) {
                        code = rpc.get("code").asInt();
                    }
                    message = textOrNull(rpc.get("message"));
                }
                if (message == null) {
                    message = textOrNull(node.get("message"));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: fall back to the generic message
        }
        if (message == null || message.isBlank() || status >= 500) {
            message = defaultMessage(status);
        }
        return body(code, message);
    }

    private static String textOrNull(JsonNode n) {
        return n != null && n.isTextual() ? n.asText() : null;
    }

    private static String shorten(String message) {
        String m = message == null ? "" : message.replaceAll("[\\r\\n\\t]+", " ").strip();
        return m.length() > MAX_MESSAGE ? m.substring(0, MAX_MESSAGE) + "..." : m;
    }
}
