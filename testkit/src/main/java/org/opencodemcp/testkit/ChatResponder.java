package org.opencodemcp.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes one resolved {@link FakeReply} in the OpenAI wire format that opencode's
 * {@code @ai-sdk/openai-compatible} provider reads: SSE chunks when streaming,
 * a plain {@code chat.completion} otherwise, an OpenAI-style error body for {@link FakeReply.Error}.
 */
final class ChatResponder {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicLong IDS = new AtomicLong();

    private final HttpExchange exchange;
    private final ChatRequest request;
    private final String id = "chatcmpl-fake-" + IDS.incrementAndGet();
    private final long created = System.currentTimeMillis() / 1000;
    private int completionChars;
    private OutputStream sse;

    ChatResponder(HttpExchange exchange, ChatRequest request) {
        this.exchange = exchange;
        this.request = request;
    }

    /**
     * @throws IOException when the client went away (e.g. opencode aborted the turn)
     * @throws InterruptedException when the fake is closed during a slow reply
     */
    void respond(FakeReply reply) throws IOException, InterruptedException {
        if (reply instanceof FakeReply.Error error) {
            sendError(error);
        } else if (request.streaming()) {
            stream(reply);
        } else {
            sendCompletion(reply);
        }
    }

    // ---- streaming -------------------------------------------------------------------------------

    private void stream(FakeReply reply) throws IOException, InterruptedException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0); // 0 = chunked: the length is not known up front
        sse = exchange.getResponseBody();

        ObjectNode opening = JSON.createObjectNode().put("role", "assistant").put("content", "");
        send(chunk(opening, null));
        String finishReason = emit(reply);
        send(chunk(JSON.createObjectNode(), finishReason));

        ObjectNode usage = base("chat.completion.chunk");
        usage.putArray("choices");
        usage.set("usage", usage());
        send(usage);
        sse.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        sse.flush();
    }

    /** Streams the deltas of one reply and returns its finish_reason. */
    private String emit(FakeReply reply) throws IOException, InterruptedException {
        if (reply instanceof FakeReply.Text text) {
            for (String piece : text.pieces()) {
                pause(text.perPiece());
                completionChars += piece.length();
                send(chunk(JSON.createObjectNode().put("content", piece), null));
            }
            return "stop";
        }
        if (reply instanceof FakeReply.ToolCall call) {
            // first the call with empty arguments, then the arguments: the shape opencode was seen to accept
            ObjectNode start = JSON.createObjectNode();
            ObjectNode startCall = start.putArray("tool_calls").addObject().put("index", 0)
                    .put("id", "call_fake_" + IDS.incrementAndGet()).put("type", "function");
            startCall.putObject("function").put("name", call.toolName()).put("arguments", "");
            send(chunk(start, null));

            ObjectNode arguments = JSON.createObjectNode();
            arguments.putArray("tool_calls").addObject().put("index", 0)
                    .putObject("function").put("arguments", call.argumentsJson());
            send(chunk(arguments, null));
            completionChars += call.argumentsJson().length();
            return "tool_calls";
        }
        if (reply instanceof FakeReply.Reasoning reasoning) {
            for (String piece : reasoning.reasoning().split("(?<= )")) { // word pieces, spaces kept
                completionChars += piece.length();
                send(chunk(JSON.createObjectNode().put("reasoning_content", piece), null));
            }
            return emit(reasoning.after());
        }
        throw new IllegalStateException("cannot stream " + reply); // Error is rejected by Reasoning
    }

    private ObjectNode chunk(ObjectNode delta, String finishReason) {
        ObjectNode chunk = base("chat.completion.chunk");
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        choice.put("finish_reason", finishReason);
        return chunk;
    }

    private void send(ObjectNode chunk) throws IOException {
        sse.write(("data: " + chunk + "\n\n").getBytes(StandardCharsets.UTF_8));
        sse.flush(); // one HTTP chunk per event, so opencode sees each delta as it is "generated"
    }

    // ---- non-streaming ---------------------------------------------------------------------------

    private void sendCompletion(FakeReply reply) throws IOException, InterruptedException {
        ObjectNode completion = base("chat.completion");
        ObjectNode choice = completion.putArray("choices").addObject().put("index", 0);
        ObjectNode message = choice.putObject("message").put("role", "assistant");
        FakeReply current = reply;
        StringBuilder reasoning = new StringBuilder();
        while (current instanceof FakeReply.Reasoning r) {
            reasoning.append(r.reasoning());
            current = r.after();
        }
        if (current instanceof FakeReply.Text text) {
            StringBuilder content = new StringBuilder();
            for (String piece : text.pieces()) {
                pause(text.perPiece());
                content.append(piece);
            }
            message.put("content", content.toString());
            completionChars += content.length();
            choice.put("finish_reason", "stop");
        } else if (current instanceof FakeReply.ToolCall call) {
            message.putNull("content");
            ObjectNode toolCall = message.putArray("tool_calls").addObject()
                    .put("id", "call_fake_" + IDS.incrementAndGet()).put("type", "function");
            toolCall.putObject("function").put("name", call.toolName()).put("arguments", call.argumentsJson());
            completionChars += call.argumentsJson().length();
            choice.put("finish_reason", "tool_calls");
        } else {
            throw new IllegalStateException("cannot answer with " + current);
        }
        if (reasoning.length() > 0) {
            message.put("reasoning_content", reasoning.toString());
            completionChars += reasoning.length();
        }
        completion.set("usage", usage());
        sendJson(200, completion);
    }

    private void sendError(FakeReply.Error error) throws IOException {
        String type = error.status() == 429 ? "rate_limit_exceeded"
                : error.status() >= 500 ? "server_error" : "invalid_request_error";
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("message", error.message()).put("type", type)
                .put("code", type).putNull("param");
        sendJson(error.status(), body);
    }

    private void sendJson(int status, ObjectNode body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    // ---- shared ----------------------------------------------------------------------------------

    private ObjectNode base(String object) {
        return JSON.createObjectNode().put("id", id).put("object", object).put("created", created)
                .put("model", request.model());
    }

    /** Rough 4-characters-per-token counts: plausible, deterministic for a given request. */
    private ObjectNode usage() {
        int prompt = Math.max(1, request.promptChars() / 4);
        int completion = Math.max(1, completionChars / 4);
        return JSON.createObjectNode().put("prompt_tokens", prompt).put("completion_tokens", completion)
                .put("total_tokens", prompt + completion);
    }

    private static void pause(Duration duration) throws InterruptedException {
        if (!duration.isZero()) {
            Thread.sleep(duration.toMillis());
        }
    }
}
