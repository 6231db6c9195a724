package org.opencodemcp.server.tools.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.opencodemcp.testkit.Eventually;

class ProgressStreamerTest {

    @Test
    void aClientThatStopsReadingDelaysOnlyItsOwnProgress() throws Exception {
        CountDownLatch stuckSend = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<McpSchema.ProgressNotification> stuckGot = new CopyOnWriteArrayList<>();
        ProgressStreamer stuck = new ProgressStreamer(n -> {
            stuckGot.add(n);
            stuckSend.countDown();
            try {
                release.await(30, TimeUnit.SECONDS); // a write into a full TCP window
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "slow");
        List<McpSchema.ProgressNotification> fastGot = new CopyOnWriteArrayList<>();
        try (ProgressStreamer fast = new ProgressStreamer(fastGot::add, "fast")) {
            stuck.append("first ");
            assertThat(stuckSend.await(5, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 5; i++) {
                stuck.append("more ");
                fast.append("delta" + i + " ");
                Thread.sleep(ProgressStreamer.INTERVAL_MS);
            }
            Eventually.await(Duration.ofSeconds(2), () -> assertThat(fastGot).extracting(McpSchema.ProgressNotification::message)
                    .anySatisfy(m -> assertThat(m).contains("delta4")));
            assertThat(stuckGot).as("one send in flight per call, the rest waits coalesced").hasSize(1);
        } finally {
            release.countDown();
        }
        stuck.close();
        assertThat(stuckGot).hasSize(2);
        assertThat(stuckGot.get(1).message()).isEqualTo("more more more more more ");
        assertThat(stuckGot.get(1).progress()).isEqualTo((double) "first more more more more more ".length());
    }

    @Test
    void nothingIsSentAfterClose() throws Exception {
        List<McpSchema.ProgressNotification> got = new CopyOnWriteArrayList<>();
        ProgressStreamer p = new ProgressStreamer(got::add, "t");
        p.append("a");
        p.close();
        p.append("b");
        Thread.sleep(ProgressStreamer.INTERVAL_MS * 3);
        assertThat(got).extracting(McpSchema.ProgressNotification::message).containsExactly("a");
    }
}
