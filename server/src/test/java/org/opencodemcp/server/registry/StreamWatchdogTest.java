package org.opencodemcp.server.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.opencodemcp.server.registry.StreamWatchdog.Verdict;

class StreamWatchdogTest {
    /** Any monotonic origin will do; a negative one shows the arithmetic does not assume zero. */
    private static final long OPENED = -5_000_000_000L;
    private static final long STALL = StreamWatchdog.STALL.toNanos();

    @Test
    void aFreshStreamIsFine() {
        assertThat(StreamWatchdog.check(OPENED, OPENED, true, false)).isEqualTo(Verdict.FINE);
        assertThat(StreamWatchdog.check(OPENED, OPENED + ms(10), false, false)).isEqualTo(Verdict.FINE);
    }

    @Test
    void silenceUpToTheLimitIsFineAndBeyondItIsAStall() {
        assertThat(StreamWatchdog.check(OPENED, OPENED + STALL - 1, true, false)).isEqualTo(Verdict.FINE);
        assertThat(StreamWatchdog.check(OPENED, OPENED + STALL, true, false)).isEqualTo(Verdict.FINE);
        assertThat(StreamWatchdog.check(OPENED, OPENED + STALL + 1, true, false)).isEqualTo(Verdict.STALLED);
        assertThat(StreamWatchdog.check(OPENED, OPENED + STALL + ms(5_000), true, false)).isEqualTo(Verdict.STALLED);
    }

    @Test
    void anEventResetsTheSilence() {
        long heartbeat = OPENED + ms(30_000);
        long now = OPENED + STALL + ms(1_000); // stalled if counted from the opening
        assertThat(StreamWatchdog.check(OPENED, now, true, false)).isEqualTo(Verdict.STALLED);
        assertThat(StreamWatchdog.check(heartbeat, now, true, false)).isEqualTo(Verdict.FINE);
        assertThat(StreamWatchdog.check(heartbeat, heartbeat + STALL + 1, true, false)).isEqualTo(Verdict.STALLED);
    }

    @Test
    void aStreamThatNeverConnectedStallsFromItsOpeningAndNeverWorksAgain() {
        assertThat(StreamWatchdog.check(OPENED, OPENED + STALL - 1, false, true)).isEqualTo(Verdict.FINE);
        assertThat(StreamWatchdog.check(OPENED, OPENED + STALL + 1, false, true)).isEqualTo(Verdict.STALLED);
        assertThat(StreamWatchdog.check(OPENED, OPENED + STALL + 1, false, false)).isEqualTo(Verdict.STALLED);
    }

    @Test
    void aConnectedStreamClearsTheNoLiveEventsNoteUnlessItStalled() {
        assertThat(StreamWatchdog.check(OPENED, OPENED + ms(100), true, true)).isEqualTo(Verdict.WORKS_AGAIN);
        assertThat(StreamWatchdog.check(OPENED, OPENED + STALL + 1, true, true)).isEqualTo(Verdict.STALLED);
    }

    private static long ms(long millis) {
        return Duration.ofMillis(millis).toNanos();
    }
}
