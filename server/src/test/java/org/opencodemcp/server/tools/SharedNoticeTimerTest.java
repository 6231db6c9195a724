package org.opencodemcp.server.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.opencodemcp.server.threads.DaemonThreads;

/**
 * ResourceUpdates and FleetLog tick on one scheduler their owner gives them: each keeps its rate, and
 * closing one stops only its own ticks (the owner shuts the scheduler down). With nobody subscribed and
 * no level set, neither touches the registry or the MCP server, so those are left out here.
 */
@Timeout(30)
class SharedNoticeTimerTest {

    @Test
    void bothTickOnTheOneThreadAndClosingOneLeavesTheOther() throws Exception {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("fleet-notices"));
        try {
            AtomicInteger updateTicks = new AtomicInteger();
            Set<String> threads = ConcurrentHashMap.newKeySet();
            ResourceUpdates updates = new ResourceUpdates(null, null, null, () -> {
                updateTicks.incrementAndGet();
                threads.add(Thread.currentThread().getName());
                return false;
            }, timer).start();
            FleetLog fleetLog = new FleetLog(null, new LogLevels(), (c, m, p) -> { }, true, timer).start();

            Thread.sleep(1000);
            // every 100 ms with a fixed delay: about 10 a second, a loaded machine may lose a few
            assertThat(updateTicks.get()).isBetween(4, 12);
            assertThat(threads).containsExactly("fleet-notices");

            fleetLog.close();
            int before = updateTicks.get();
            Thread.sleep(500);
            assertThat(updateTicks.get()).as("ResourceUpdates still ticks after FleetLog closed").isGreaterThan(before);
            assertThat(timer.isShutdown()).isFalse();

            updates.close();
            Thread.sleep(150); // a tick already running may finish
            int stopped = updateTicks.get();
            Thread.sleep(400);
            assertThat(updateTicks.get()).isEqualTo(stopped);
            assertThat(timer.submit(() -> "still serving").get(5, TimeUnit.SECONDS)).isEqualTo("still serving");
        } finally {
            timer.shutdownNow();
        }
    }
}
