package org.opencodemcp.testkit;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One open {@code text/event-stream} response that no thread waits on: the handler returns after the
 * headers, and whoever has an event (a shared scheduler, {@code close()}) writes it. Writes are
 * serialized because heartbeats and test events may come from different threads.
 */
final class SseStream {
    private final HttpExchange exchange;
    private final OutputStream body;
    private boolean closed;

    private SseStream(HttpExchange exchange) {
        this.exchange = exchange;
        this.body = exchange.getResponseBody();
    }

    /** Sends the SSE headers (opencode's set, reference §6) and returns the open stream. */
    static SseStream open(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache, no-transform");
        exchange.getResponseHeaders().set("X-Accel-Buffering", "no");
        exchange.sendResponseHeaders(200, 0); // chunked, open-ended
        return new SseStream(exchange);
    }

    /** Writes one {@code data:} event; false if the client is gone (the stream is then closed). */
    synchronized boolean send(String json) {
        if (closed) {
            return false;
        }
        try {
            body.write(("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
            body.flush();
            return true;
        } catch (IOException e) {
            close();
            return false;
        }
    }

    synchronized void close() {
        if (!closed) {
            closed = true;
            exchange.close(); // ends the chunked body; never throws
        }
    }
}
