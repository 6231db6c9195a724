package org.opencodemcp.server.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.opencodemcp.server.OpenCodeMcpServer;
import org.opencodemcp.server.config.Settings;
import org.opencodemcp.server.instance.InstanceState;
import org.opencodemcp.server.instance.InstanceView;
import org.opencodemcp.server.opencode.OpenCodeClient;
import org.opencodemcp.server.opencode.OpenCodeException;
import org.opencodemcp.server.support.Registrations;
import org.opencodemcp.testkit.Eventually;
import org.opencodemcp.testkit.FakeOpenCode;
import org.opencodemcp.testkit.FakeOpenCode.Fault;
import org.opencodemcp.testkit.TempDirs;

/**
 * One registry meets a fleet where every instance misbehaves in its own way, beside one that
 * behaves. Over a quiet 10 s nobody is hammered (the storm: a refused stream made the old registry
 * re-probe in a loop, ~86 health checks a second per instance), each lands in the right state with
 * a reason or note, and the healthy instance keeps its live stream.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MisbehavingInstancesTest {
    private static final Duration QUIET = Duration.ofSeconds(10);
    private static final Map<String, FakeOpenCode> FLEET = new LinkedHashMap<>();
    private static final List<AutoCloseable> CLOSE = new ArrayList<>();
    private static Path dir;
    private static InstanceRegistry registry;

    @BeforeAll
    static void startFleet() {
        dir = TempDirs.create("misbehaving-");
        add("healthy");
        add("slow-moment");
        add("no-global-event", Fault.NO_GLOBAL_EVENT);
        add("no-events", Fault.NO_EVENTS);
        add("ends-at-once", Fault.STREAM_ENDS_AT_ONCE);
        add("silent-stream", Fault.STREAM_SILENT);
        add("endless-data", Fault.STREAM_ENDLESS_DATA);
        add("long-lines", Fault.STREAM_LONG_LINES);
        add("html-health", Fault.HTML_HEALTH);
        add("stalled-health", Fault.STALLED_HEALTH);
        add("slow-path", Fault.SLOW_PATH);
        add("reset", Fault.RESET);
        add("stalled-sessions", Fault.STALLED_SESSION_LIST);
        Settings settings = new Settings(dir, Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofMinutes(10),
                Duration.ofSeconds(3), Duration.ofSeconds(10), null);
        registry = OpenCodeMcpServer.newRegistry(settings, new ObjectMapper());
        registry.start();
        registry.firstScan().join();
        FLEET.forEach((name, fake) -> Registrations.write(dir, name, fake.port(), "/work/" + name));
    }

    private static void add(String name, Fault... faults) {
        FakeOpenCode f = FakeOpenCode.start("/work/" + name, faults);
        FLEET.put(name, f);
        CLOSE.add(f);
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
        for (AutoCloseable c : CLOSE) {
            c.close();
        }
        TempDirs.deleteRecursively(dir);
    }

    private static InstanceView view(String name) {
        return registry.snapshot().instances().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void noInstanceIsHammeredAndEachLandsInTheRightState() throws Exception {
        Eventually.await(Duration.ofSeconds(8), () -> {
            assertThat(view("healthy").state()).isEqualTo(InstanceState.ONLINE);
            assertThat(view("html-health").state()).isEqualTo(InstanceState.MISMATCH);
            assertThat(view("reset").state()).isEqualTo(InstanceState.UNREACHABLE);
            assertThat(view("stalled-health").state()).isEqualTo(InstanceState.UNREACHABLE);
            assertThat(view("slow-path").state()).isEqualTo(InstanceState.UNREACHABLE);
            assertThat(view("no-events").note()).contains("no live events").contains("polled every");
        });
        Map<String, Long> before = new LinkedHashMap<>();
        FLEET.forEach((name, fake) -> before.put(name, fake.requestCount()));
        Thread.sleep(QUIET.toMillis());
        Map<String, Long> during = new LinkedHashMap<>();
        FLEET.forEach((name, fake) -> during.put(name, fake.requestCount() - before.get(name)));
        System.err.println("requests per instance in " + QUIET.toSeconds() + " s: " + during);

        // The healthy instance holds one stream and is asked nothing else.
        assertThat(during.get("healthy")).isZero();
        assertThat(FLEET.get("healthy").openEventStreams()).isEqualTo(1);
        // /event is used when /global/event is refused, and remembered: no further requests.
        assertThat(view("no-global-event").state()).isEqualTo(InstanceState.ONLINE);
        assertThat(view("no-global-event").note()).isNull();
        assertThat(during.get("no-global-event")).isZero();
        assertThat(FLEET.get("no-global-event").openEventStreams()).isEqualTo(1);
        // Without any stream: online, status polled every 10 s, retries on a growing backoff.
        assertThat(view("no-events").state()).isEqualTo(InstanceState.ONLINE);
        assertThat(during.get("no-events")).isLessThanOrEqualTo(8);
        // A stream that ends at once: backoff, then polling with a note; never a loop.
        assertThat(view("ends-at-once").state()).isEqualTo(InstanceState.ONLINE);
        assertThat(view("ends-at-once").note()).contains("no live events");
        assertThat(during.get("ends-at-once")).isLessThanOrEqualTo(12);
        // Probes that fail back off: 0.5 s doubling to 15 s.
        for (String dead : List.of("html-health", "reset", "stalled-health", "slow-path")) {
            assertThat(during.get(dead)).as(dead).isLessThanOrEqualTo(8);
        }
        assertThat(view("html-health").reason()).contains("HTML");
        assertThat(view("stalled-health").reason()).contains("no complete answer");
        // Streams that flood or never answer hold one request each, and the instance stays online.
        for (String flooding : List.of("endless-data", "long-lines", "silent-stream")) {
            assertThat(view(flooding).state()).as(flooding).isEqualTo(InstanceState.ONLINE);
            assertThat(during.get(flooding)).as(flooding).isLessThanOrEqualTo(2);
        }
        // Everything is still answered at once from live state.
        assertThat(view("healthy").state()).isEqualTo(InstanceState.ONLINE);
    }

    @Test
    void oneSlowAnswerDoesNotLoseALiveInstanceButTwoDo() throws Exception {
        FakeOpenCode fake = FLEET.get("slow-moment");
        Eventually.await(Duration.ofSeconds(8), () -> assertThat(view("slow-moment").state()).isEqualTo(InstanceState.ONLINE));

        fake.stallNextHealthChecks(1);
        InstanceView afterOne = registry.refresh().get(20, TimeUnit.SECONDS).instances().stream()
                .filter(v -> v.name().equals("slow-moment")).findFirst().orElseThrow();
        assertThat(afterOne.state()).isEqualTo(InstanceState.ONLINE);
        Eventually.await(Duration.ofSeconds(8), () -> assertThat(view("slow-moment").failures()).isZero());
        assertThat(fake.openEventStreams()).as("its live stream was kept").isEqualTo(1);

        fake.stallNextHealthChecks(2);
        registry.refresh().get(20, TimeUnit.SECONDS);
        assertThat(view("slow-moment").state()).isEqualTo(InstanceState.UNREACHABLE);
        assertThat(view("slow-moment").reason()).contains("no complete answer");
        // and it is found again at the next probe once it answers
        Eventually.await(Duration.ofSeconds(10), () -> assertThat(view("slow-moment").state()).isEqualTo(InstanceState.ONLINE));
    }

    @Test
    void aBodyThatStallsAfterItsHeadersFailsAtTheDeadline() {
        FakeOpenCode stalled = FLEET.get("stalled-sessions");
        OpenCodeClient client = new OpenCodeClient(java.net.http.HttpClient.newHttpClient(), new ObjectMapper(),
                stalled.port(), null, Duration.ofMillis(700));
        long start = System.nanoTime();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.get("/session"))
                .isInstanceOf(OpenCodeException.class)
                .hasMessageContaining("no complete answer within 700 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }
}
