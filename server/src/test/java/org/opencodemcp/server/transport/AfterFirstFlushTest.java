package org.opencodemcp.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AfterFirstFlushTest {
    @Test
    void theHookRunsOnceRightAfterTheFirstFlushNotOnWrites() throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        List<String> seenByHook = new ArrayList<>();
        AfterFirstFlush out = new AfterFirstFlush(sink);
        out.afterFirstFlush(() -> seenByHook.add(sink.toString(StandardCharsets.UTF_8)));

        out.write("{\"id\":1}\n".getBytes(StandardCharsets.UTF_8));
        assertThat(seenByHook).isEmpty();
        out.flush();
        out.write("{\"id\":2}\n".getBytes(StandardCharsets.UTF_8), 0, 9);
        out.flush();

        assertThat(seenByHook).containsExactly("{\"id\":1}\n"); // once, and the answer was already out
        assertThat(sink.toString(StandardCharsets.UTF_8)).isEqualTo("{\"id\":1}\n{\"id\":2}\n");
    }

    @Test
    void aFailingHookDoesNotFailTheWriteAndRunsOnlyOnce() throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        int[] runs = {0};
        AfterFirstFlush out = new AfterFirstFlush(sink);
        out.afterFirstFlush(() -> {
            runs[0]++;
            throw new IllegalStateException("boom");
        });
        out.write('x');
        out.flush();
        out.flush();
        assertThat(runs[0]).isEqualTo(1);
        assertThat(sink.toString(StandardCharsets.UTF_8)).isEqualTo("x");
    }

    @Test
    void noHookIsAllowed() throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        AfterFirstFlush out = new AfterFirstFlush(sink);
        out.afterFirstFlush(null);
        out.write(new byte[] {'a', 'b'}, 0, 2);
        out.flush();
        assertThat(sink.toByteArray()).containsExactly('a', 'b');
    }

    @Test
    void aHookGivenAfterTheFirstFlushRunsAtOnceAndLaterFlushesRunNothing() throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        AfterFirstFlush out = new AfterFirstFlush(sink);
        out.write('a');
        out.flush(); // an early initialize answer, before the server was built
        int[] runs = {0};
        out.afterFirstFlush(() -> runs[0]++);
        assertThat(runs[0]).isEqualTo(1);
        out.write('b');
        out.flush();
        assertThat(runs[0]).isEqualTo(1);
        assertThat(sink.toString(StandardCharsets.UTF_8)).isEqualTo("ab");
    }

    @Test
    void theEarlyAnswerIsWrittenAtOnceButDoesNotCountAsTheFirstAnswer() throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        AfterFirstFlush out = new AfterFirstFlush(new java.io.BufferedOutputStream(sink));
        int[] runs = {0};
        out.afterFirstFlush(() -> runs[0]++);
        out.writeEarly("{\"id\":1}\n".getBytes(StandardCharsets.UTF_8));
        assertThat(sink.toString(StandardCharsets.UTF_8)).isEqualTo("{\"id\":1}\n"); // flushed through the buffer
        assertThat(runs[0]).isZero();
        out.write("{\"id\":2}\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        assertThat(runs[0]).isEqualTo(1);
    }
}
