package org.opencodemcp.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class FirstLineAheadTest {
    private final List<String> shown = new ArrayList<>();

    private byte[] readAll(String input, int maxBytes, boolean hookFails) throws IOException {
        FirstLineAhead ahead = new FirstLineAhead(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        ahead.start(maxBytes, line -> {
            synchronized (shown) {
                shown.add(new String(line, StandardCharsets.UTF_8));
            }
            if (hookFails) {
                throw new IllegalStateException("boom");
            }
        });
        return ahead.readAllBytes();
    }

    @Test
    void theFirstLineIsShownWithoutItsLineEndAndEveryByteIsStillRead() throws IOException {
        String input = "{\"id\":1}\r\n{\"id\":2}\nrest";
        assertThat(new String(readAll(input, 100, false), StandardCharsets.UTF_8)).isEqualTo(input);
        assertThat(shown).containsExactly("{\"id\":1}");
    }

    @Test
    void aFirstLineOverTheLimitOrWithoutAnEndIsNotShownButPassedOn() throws IOException {
        String longLine = "x".repeat(50) + "\nnext\n";
        assertThat(new String(readAll(longLine, 10, false), StandardCharsets.UTF_8)).isEqualTo(longLine);
        assertThat(new String(readAll("no line end", 100, false), StandardCharsets.UTF_8)).isEqualTo("no line end");
        assertThat(readAll("", 100, false)).isEmpty();
        assertThat(shown).isEmpty();
    }

    @Test
    void aFailingHookLosesNothing() throws IOException {
        assertThat(new String(readAll("a\nb\n", 100, true), StandardCharsets.UTF_8)).isEqualTo("a\nb\n");
        assertThat(shown).containsExactly("a");
    }

    @Test
    void aReadFailureReachesTheReader() {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("stdin gone");
            }
        };
        FirstLineAhead ahead = new FirstLineAhead(broken);
        ahead.start(100, line -> shown.add("never"));
        assertThatThrownBy(ahead::read).isInstanceOf(IOException.class).hasMessageContaining("stdin gone");
        assertThat(shown).isEmpty();
    }
}
