package org.opencodemcp.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fake OpenAI-compatible LLM on 127.0.0.1: the only fake in the tests. The real opencode talks to it
 * through its bundled {@code @ai-sdk/openai-compatible} provider (see {@link OpenCodeConfig}).
 *
 * <p>Replies are chosen by scenario: {@link #on} maps a keyword in the last user message to a
 * {@link FakeReply}. Title-generation requests (no {@code tools}) always get {@link #TITLE} at once, so
 * scenarios never have to think about them.
 */
public final class FakeLlm implements AutoCloseable {
    public static final String DEFAULT_TEXT = "Hello from the fake LLM.";
    public static final String TITLE = "Fake title";

    private static final Logger log = LoggerFactory.getLogger(FakeLlm.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final HttpServer server;
    private final ExecutorService handlers;
    /** Insertion order: the first registered keyword that matches wins. */
    private final Map<String, FakeReply> scenarios = new LinkedHashMap<>();
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();

    private FakeLlm(HttpServer server, ExecutorService handlers) {
        this.server = server;
        this.handlers = handlers;
    }

    /** Starts a fake on a free loopback port. */
    public static FakeLlm start() {
        int instance = INSTANCES.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        // own pool, so close() can interrupt slow replies; daemon, so a forgotten fake never blocks JVM exit
        ExecutorService handlers = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "fake-llm-" + instance + "-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            FakeLlm llm = new FakeLlm(server, handlers);
            server.createContext("/", llm::handle);
            server.setExecutor(handlers);
            server.start();
            log.debug("fake LLM listening on {}", llm.baseUrl());
            return llm;
        } catch (IOException e) {
            handlers.shutdownNow();
            throw new UncheckedIOException("cannot start the fake LLM", e);
        }
    }

    /** The OpenAI base URL, {@code http://127.0.0.1:PORT/v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** Answers requests whose last user message contains {@code keyword} with {@code reply}. */
    public void on(String keyword, FakeReply reply) {
        synchronized (scenarios) {
            scenarios.put(keyword, reply);
        }
    }

    /** Every chat request body received so far, oldest first (a snapshot). */
    public List<JsonNode> requests() {
        return List.copyOf(requests);
    }

    /** Requests of opencode's main turn (those carrying {@code tools}), i.e. not title generation. */
    public int mainTurnRequests() {
        return (int) requests.stream().filter(body -> new ChatRequest(body).hasTools()).count();
    }

    /** Stops listening and interrupts replies still streaming. */
    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }

    @Override
    public String toString() {
        return "FakeLlm[" + baseUrl() + "]";
    }

    // ---- HTTP ------------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            if ("POST".equals(method) && path.equals("/v1/chat/completions")) {
                chat(exchange);
            } else if ("GET".equals(method) && path.equals("/v1/models")) {
                sendJson(exchange, 200, "{\"object\":\"list\",\"data\":[{\"id\":\""
                        + OpenCodeConfig.MODEL_ID + "\",\"object\":\"model\",\"owned_by\":\"fake\"}]}");
            } else {
                sendJson(exchange, 404, "{\"error\":{\"message\":\"no route " + method + " " + path
                        + "\",\"type\":\"invalid_request_error\",\"code\":null}}");
            }
        } catch (IOException e) {
            // opencode aborted or the test closed it: not a failure of the fake
            log.debug("fake LLM client went away: {}", e.toString());
        } catch (InterruptedException e) {
            log.debug("fake LLM reply interrupted (closing)");
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("fake LLM failed on {}", exchange.getRequestURI(), e);
        }
    }

    private void chat(HttpExchange exchange) throws IOException, InterruptedException {
        JsonNode body = JSON.readTree(exchange.getRequestBody());
        requests.add(body);
        ChatRequest request = new ChatRequest(body);
        FakeReply reply = request.hasTools() ? scenarioReply(request) : FakeReply.text(TITLE);
        log.debug("fake LLM: tools={} stream={} lastUser={} -> {}", request.hasTools(), request.streaming(),
                abbreviate(request.lastUserText()), reply.getClass().getSimpleName());
        new ChatResponder(exchange, request).respond(reply);
    }

    /** The scenario for the last user message, advanced past the tool rounds opencode already ran. */
    private FakeReply scenarioReply(ChatRequest request) {
        String text = request.lastUserText();
        FakeReply reply = null;
        synchronized (scenarios) {
            for (Map.Entry<String, FakeReply> scenario : scenarios.entrySet()) {
                if (text.contains(scenario.getKey())) {
                    reply = scenario.getValue();
                    break;
                }
            }
        }
        if (reply == null) {
            reply = FakeReply.text(DEFAULT_TEXT);
        }
        return afterRounds(reply, request.toolRoundsSinceLastUser());
    }

    /**
     * Skips {@code rounds} tool calls of a chain. Reasoning that precedes a call belongs to the round of
     * the call, so it is skipped with it.
     */
    static FakeReply afterRounds(FakeReply reply, int rounds) {
        FakeReply current = reply;
        int left = rounds;
        while (left > 0) {
            if (current instanceof FakeReply.ToolCall call) {
                current = call.after();
                left--;
            } else if (current instanceof FakeReply.Reasoning reasoning) {
                current = reasoning.after();
            } else {
                break; // opencode ran more tools than the scenario asked for: just answer with what is left
            }
        }
        return current;
    }

    private static void sendJson(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String abbreviate(String text) {
        String oneLine = text.replace('\n', ' ').strip();
        return oneLine.length() <= 60 ? oneLine : oneLine.substring(0, 57) + "...";
    }
}
