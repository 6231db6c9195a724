package org.opencodemcp.server.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The bare TCP pre-check of a probe, and its poller thread, which must not outlive an exit. */
class PortCheckTest {
    private static final Duration LIMIT = Duration.ofSeconds(2);

    @Test
    void aListeningPortIsListeningAndAClosedOneIsNot() throws Exception {
        int closed;
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            assertThat(PortCheck.listening(listener.getLocalPort(), LIMIT).get(5, TimeUnit.SECONDS)).isTrue();
            closed = listener.getLocalPort();
        }
        assertThat(PortCheck.listening(closed, LIMIT).get(5, TimeUnit.SECONDS)).isFalse();
    }

    /**
     * The poller sits in epoll_wait, where the JVM's exit waits 300 ms for it (plans/performance.md):
     * shutdownNow must end it, and a later check still works (a new group).
     */
    @Test
    void shutdownNowEndsThePollerThread() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            assertThat(PortCheck.listening(listener.getLocalPort(), LIMIT).get(5, TimeUnit.SECONDS)).isTrue();
            assertThat(pollerAlive()).isTrue();

            PortCheck.shutdownNow();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (pollerAlive() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(pollerAlive()).as("a port-check thread after shutdownNow").isFalse();

            assertThat(PortCheck.listening(listener.getLocalPort(), LIMIT).get(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static boolean pollerAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("port-check") && t.isAlive());
    }
}
