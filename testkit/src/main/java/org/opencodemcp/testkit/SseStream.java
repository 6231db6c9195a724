package org.opencodemcp.testkit;

import java.nio.charset.StandardCharsets;

/**
 * One open {@code text/event-stream} response that no thread waits on: the request handler returns
 * after the headers, and whoever has an event (the shared heartbeat scheduler, {@code emit},
 * {@code close()}) writes it as one chunk on the shared non-blocking loop.
 */
final class SseStream {
    private final FakeHttpLoop.Conn conn;

    private SseStream(FakeHttpLoop.Conn conn) {
        this.conn = conn;
    }

    /** Sends the SSE headers opencode itself sends (event-stream, no-cache/no-transform, no proxy buffering) and returns the open stream. */
    static SseStream open(FakeHttpLoop.Conn conn) {
        conn.startStream("Content-Type: text/event-stream\r\nCache-Control: no-cache, no-transform\r\n"
                + "X-Accel-Buffering: no\r\n");
        return new SseStream(conn);
    }

    /** Writes one {@code data:} event; false if the client is gone. */
    boolean send(String json) {
        return conn.sendChunk(("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
    }

    FakeHttpLoop.Conn connection() {
        return conn;
    }

    /** Drops the connection, as a dying opencode process would. */
    void close() {
        conn.close();
    }
}
