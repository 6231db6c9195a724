package org.opencodemcp.server.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CancellationsTest {

    @Test
    void keysOfTheSameIdMatchWhateverItsJavaType() {
        assertThat(Cancellations.key("stdio", 7)).isEqualTo(Cancellations.key("stdio", 7L)).isEqualTo("stdio n:7");
        assertThat(Cancellations.key("stdio", "7")).isEqualTo("stdio s:7");
        assertThat(Cancellations.key("abc", null)).isNull();
    }

    @Test
    void cancellingARunningCallInterruptsItsWaitAndClosingClearsTheInterrupt() throws Exception {
        Cancellations c = new Cancellations();
        CountDownLatch entered = new CountDownLatch(1);
        CompletableFuture<Boolean> interruptedAfterClose = new CompletableFuture<>();
        CompletableFuture<Long> waitedMs = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            long t0 = System.nanoTime();
            try (Cancellations.Scope scope = c.enter("s n:1", "send_message")) {
                entered.countDown();
                new CompletableFuture<Void>().get(30, TimeUnit.SECONDS); // a turn that never ends
            } catch (InterruptedException e) {
                waitedMs.complete((System.nanoTime() - t0) / 1_000_000);
            } catch (Exception e) {
                waitedMs.completeExceptionally(e);
            }
            interruptedAfterClose.complete(Thread.currentThread().isInterrupted());
        });
        t.start();
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(c.running()).isEqualTo(1);
        c.cancel("s n:1");
        assertThat(waitedMs.get(5, TimeUnit.SECONDS)).isLessThan(5000);
        assertThat(interruptedAfterClose.get(5, TimeUnit.SECONDS)).isFalse();
        assertThat(c.running()).isZero();
        assertThat(c.isCancelled("s n:1")).isTrue();
        assertThat(c.dropResponse("s n:1")).isTrue();
        assertThat(c.dropResponse("s n:1")).as("dropped once").isFalse();
    }

    @Test
    void aCancelThatOvertakesItsRequestStillStopsIt() {
        Cancellations c = new Cancellations();
        c.cancel("s n:2");
        try (Cancellations.Scope scope = c.enter("s n:2", "refresh_instances")) {
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        }
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void cancelledKeysAreBoundedAndUntaggedCallsAreNeverCancelled() {
        Cancellations c = new Cancellations();
        for (int i = 0; i < Cancellations.MAX_CANCELLED + 500; i++) {
            c.cancel("s n:" + i);
        }
        assertThat(c.isCancelled("s n:0")).isFalse();
        assertThat(c.isCancelled("s n:" + (Cancellations.MAX_CANCELLED + 499))).isTrue();
        try (Cancellations.Scope scope = c.enter(null, "list_instances")) {
            assertThat(c.running()).isZero();
        }
    }
}
