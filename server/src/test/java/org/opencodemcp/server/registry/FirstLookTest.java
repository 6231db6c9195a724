package org.opencodemcp.server.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class FirstLookTest {
    private static final Duration LIMIT = Duration.ofMillis(300);

    @Test
    void beforeTheFirstScanACallWaitsTheWholeLimit() {
        FirstLook look = new FirstLook();
        assertThat(waited(look, 3)).isGreaterThanOrEqualTo(LIMIT);
        assertThat(look.firstScan()).isNotDone();
        assertThat(look.done()).isFalse();
    }

    @Test
    void aSmallFleetIsAwaitedUntilItsProbesEnd() throws Exception {
        FirstLook look = new FirstLook();
        CompletableFuture<Object> probe = new CompletableFuture<>();
        look.scanned(List.of(probe, CompletableFuture.completedFuture(null)));
        assertThat(look.firstScan()).isDone();
        assertThat(waited(look, FirstLook.PROBE_WAIT_MAX)).as("a probe still running").isGreaterThanOrEqualTo(LIMIT);
        probe.complete(null);
        assertThat(look.done()).isTrue();
        assertThat(waited(look, FirstLook.PROBE_WAIT_MAX)).as("probes ended").isLessThan(LIMIT);
    }

    @Test
    void aFailedProbeEndsTheWaitToo() {
        FirstLook look = new FirstLook();
        CompletableFuture<Object> probe = new CompletableFuture<>();
        look.scanned(List.of(probe));
        probe.completeExceptionally(new RuntimeException("refused"));
        assertThat(look.done()).isTrue();
    }

    @Test
    void aLargeFleetIsAnsweredOnceReadWithoutWaitingForItsProbes() {
        FirstLook look = new FirstLook();
        look.scanned(List.of(new CompletableFuture<>()));
        assertThat(waited(look, FirstLook.PROBE_WAIT_MAX + 1)).isLessThan(LIMIT);
        assertThat(look.done()).as("its probes still run").isFalse();
    }

    @Test
    void aFailedFirstScanMakesNoLaterCallWait() {
        FirstLook look = new FirstLook();
        look.failed();
        assertThat(look.firstScan()).isDone();
        assertThat(look.done()).isTrue();
        assertThat(waited(look, 1)).isLessThan(LIMIT);
    }

    @Test
    void aScanWithoutRegistrationsIsDoneAtOnce() {
        FirstLook look = new FirstLook();
        look.scanned(List.of());
        assertThat(look.done()).isTrue();
    }

    private static Duration waited(FirstLook look, int registrations) {
        long t0 = System.nanoTime();
        look.await(LIMIT, () -> registrations);
        return Duration.ofNanos(System.nanoTime() - t0);
    }
}
