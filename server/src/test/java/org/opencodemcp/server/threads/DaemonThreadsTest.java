package org.opencodemcp.server.threads;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Test;

class DaemonThreadsTest {
    private static final Runnable NOTHING = () -> { };

    @Test
    void namedThreadsAreDaemonsAllWithTheOneName() {
        ThreadFactory f = DaemonThreads.named("fleet-log");
        Thread a = f.newThread(NOTHING);
        Thread b = f.newThread(NOTHING);
        assertThat(a.isDaemon()).isTrue();
        assertThat(b.isDaemon()).isTrue();
        assertThat(a.getName()).isEqualTo("fleet-log");
        assertThat(b.getName()).isEqualTo("fleet-log");
        assertThat(a.getState()).isEqualTo(Thread.State.NEW);
    }

    @Test
    void numberedThreadsCountFromOnePerFactory() {
        ThreadFactory f = DaemonThreads.numbered("progress-send");
        assertThat(f.newThread(NOTHING).getName()).isEqualTo("progress-send-1");
        assertThat(f.newThread(NOTHING).getName()).isEqualTo("progress-send-2");
        assertThat(DaemonThreads.numbered("progress-send").newThread(NOTHING).getName()).isEqualTo("progress-send-1");
        assertThat(f.newThread(NOTHING).isDaemon()).isTrue();
    }

    @Test
    void aThreadRunsItsTaskWhenStarted() throws InterruptedException {
        boolean[] ran = new boolean[1];
        Thread t = DaemonThreads.thread("exit-on-eof", () -> ran[0] = true);
        assertThat(t.isDaemon()).isTrue();
        assertThat(t.getName()).isEqualTo("exit-on-eof");
        t.start();
        t.join(5_000);
        assertThat(ran[0]).isTrue();
    }
}
