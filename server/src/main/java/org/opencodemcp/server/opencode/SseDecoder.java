package org.opencodemcp.server.opencode;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Splits a server-sent-events byte stream into event payloads (the joined {@code data:} lines of
 * each event), with a hard cap: every byte is looked at once, a line or an event larger than
 * {@code maxEventBytes} is skipped whole (counted in {@link #oversized()}), and memory never grows
 * past the cap, whatever the peer sends (endless {@code data:} lines, a line without an end).
 * Not thread-safe: the HTTP client delivers one buffer at a time.
 */
final class SseDecoder {
    private final int maxEventBytes;
    private final Consumer<String> onEvent;
    private byte[] line = new byte[256];
    private int lineLength;
    private boolean lineTooLong;
    private final StringBuilder data = new StringBuilder();
    private boolean eventTooLarge;
    private long oversized;

    SseDecoder(int maxEventBytes, Consumer<String> onEvent) {
        this.maxEventBytes = maxEventBytes;
        this.onEvent = onEvent;
    }

    /** Events skipped because a line or the whole event was over the cap. */
    long oversized() {
        return oversized;
    }

    void feed(ByteBuffer buffer) {
        while (buffer.hasRemaining()) {
            byte b = buffer.get();
            if (b == '\n') {
                endOfLine();
            } else if (!lineTooLong) {
                if (lineLength == maxEventBytes) {
                    lineTooLong = true; // drop the rest of this line; its event is skipped
                    lineLength = 0;
                } else {
                    if (lineLength == line.length) {
                        line = Arrays.copyOf(line, Math.min(maxEventBytes, line.length * 2));
                    }
                    line[lineLength++] = b;
                }
            }
        }
    }

    private void endOfLine() {
        if (lineTooLong) {
            lineTooLong = false;
            eventTooLarge = true;
            lineLength = 0;
            return;
        }
        int n = lineLength;
        if (n > 0 && line[n - 1] == '\r') {
            n--;
        }
        lineLength = 0;
        if (line.length > 64 * 1024) {
            line = new byte[256]; // give a one-off huge line's memory back
        }
        if (n == 0) {
            dispatch();
            return;
        }
        if (n >= 5 && line[0] == 'd' && line[1] == 'a' && line[2] == 't' && line[3] == 'a' && line[4] == ':') {
            int start = n > 5 && line[5] == ' ' ? 6 : 5;
            if (eventTooLarge) {
                return;
            }
            if (data.length() + (n - start) > maxEventBytes) {
                eventTooLarge = true;
                data.setLength(0);
                data.trimToSize();
                return;
            }
            if (data.length() > 0) {
                data.append('\n');
            }
            data.append(new String(line, start, n - start, StandardCharsets.UTF_8));
        }
        // "event:", "id:", "retry:" and ":" comment lines carry nothing OpenCode uses.
    }

    private void dispatch() {
        if (eventTooLarge) {
            eventTooLarge = false;
            oversized++;
            return;
        }
        if (data.length() == 0) {
            return;
        }
        String payload = data.toString();
        data.setLength(0);
        if (data.capacity() > 64 * 1024) {
            data.trimToSize();
        }
        onEvent.accept(payload);
    }
}
