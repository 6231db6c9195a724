package org.opencodemcp.server.opencode;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SSE decoder keeps memory under its cap whatever the peer sends, and still reads good events. */
class SseDecoderTest {
    private final List<String> events = new ArrayList<>();
    private final SseDecoder decoder = new SseDecoder(1024, events::add);

    private void feed(String s) {
        decoder.feed(ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void splitsEventsAcrossBuffersAndJoinsDataLines() {
        feed("data: {\"a\":");
        feed("1}\r\n\r\ndata: x\ndata: y\n");
        feed("\n: comment\nevent: ignored\n\n");
        assertThat(events).containsExactly("{\"a\":1}", "x\ny");
    }

    @Test
    void anOverlongLineIsSkippedWithItsEventAndTheNextEventStillArrives() {
        feed("data: " + "x".repeat(5000) + "\n\n");
        feed("data: ok\n\n");
        assertThat(events).containsExactly("ok");
        assertThat(decoder.oversized()).isEqualTo(1);
    }

    @Test
    void endlessDataLinesWithoutABlankLineNeverGrowPastTheCap() {
        String line = "data: " + "y".repeat(500) + "\n";
        for (int i = 0; i < 10_000; i++) {
            feed(line);
        }
        feed("\ndata: after\n\n");
        assertThat(events).containsExactly("after");
        assertThat(decoder.oversized()).isEqualTo(1);
    }

    @Test
    void multiByteCharactersSurviveBufferSplits() {
        byte[] bytes = "data: h\u00e9llo \u2603\n\n".getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) {
            decoder.feed(ByteBuffer.wrap(new byte[] {b}));
        }
        assertThat(events).containsExactly("h\u00e9llo \u2603");
    }
}
