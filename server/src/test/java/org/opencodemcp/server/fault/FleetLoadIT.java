package org.opencodemcp.server.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.opencodemcp.server.it.McpHttpServer;
import org.opencodemcp.server.support.McpStdioServer;
import org.opencodemcp.server.support.Registrations;
import org.opencodemcp.testkit.Eventually;
import org.opencodemcp.testkit.FakeOpenCode;
import org.opencodemcp.testkit.TempDirs;

/**
 * Load: 100 concurrent tool calls (list_instances, list_sessions, get_status, get_session) across 20
 * fake instances for a bounded time, through the real SDK client and the packaged jar, over stdio and
 * over HTTP. Every call must succeed and name the instance it asked about (no answer mixed up);
 * p50/p99 are printed, not asserted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FleetLoadIT {
    private static final int INSTANCES = 20;
    private static final int CONCURRENCY = 100;
    private static final Duration RUN = Duration.ofSeconds(Long.getLong("load.seconds", 8));

    private Path registry;
    private final List<FakeOpenCode> fakes = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final List<String> sessionIds = new ArrayList<>();

    @BeforeAll
    void fleet() throws Exception {
        registry = TempDirs.create("registry-load-");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (int i = 1; i <= INSTANCES; i++) {
            String name = String.format("load-i%02d", i);
            Path cwd = Files.createDirectories(registry.resolve("projects").resolve(name));
            FakeOpenCode fake = FakeOpenCode.start(cwd.toString());
            fakes.add(fake);
            names.add(name);
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/session"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"work of " + name + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            String id = created.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
            sessionIds.add(id);
            Registrations.write(registry, name, fake.port(), fake.cwd());
        }
    }

    @AfterAll
    void stop() {
        fakes.forEach(FakeOpenCode::close);
        TempDirs.deleteRecursively(registry);
    }

    @Test
    void hundredConcurrentCallsOverStdio() throws Exception {
        try (McpStdioServer mcp = McpStdioServer.start(registry)) {
            run("stdio", mcp.client());
        }
    }

    @Test
    void hundredConcurrentCallsOverHttp() throws Exception {
        try (McpHttpServer mcp = McpHttpServer.start(registry, Map.of())) {
            run("http", mcp.client());
        }
    }

    private void run(String transport, McpSyncClient client) throws Exception {
        Eventually.await(Duration.ofSeconds(15), () -> assertThat(McpStdioServer.text(call(client, "list_instances", Map.of())))
                .contains("(" + INSTANCES + " online)"));
        List<String> tools = List.of("list_instances", "list_sessions", "get_status", "get_session");
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger perTool[] = new AtomicInteger[tools.size()];
        Arrays.setAll(perTool, i -> new AtomicInteger());
        long end = System.nanoTime() + RUN.toNanos();
        CountDownLatch done = new CountDownLatch(CONCURRENCY);
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < CONCURRENCY; w++) {
            Thread t = new Thread(() -> {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                try {
                    while (System.nanoTime() < end && failures.size() < 20) {
                        int i = rnd.nextInt(INSTANCES);
                        int k = rnd.nextInt(tools.size());
                        String tool = tools.get(k);
                        String name = names.get(i);
                        Map<String, Object> args = switch (tool) {
                            case "list_instances" -> Map.of();
                            case "get_session" -> Map.of("instance", name, "session", sessionIds.get(i));
                            default -> Map.of("instance", name);
                        };
                        long t0 = System.nanoTime();
                        try {
                            McpSchema.CallToolResult r = call(client, tool, args);
                            latencies.add(System.nanoTime() - t0);
                            String problem = check.apply(new Call(tool, name, i), r);
                            if (problem != null) {
                                failures.add(tool + " " + name + ": " + problem);
                            }
                            perTool[k].incrementAndGet();
                        } catch (RuntimeException e) {
                            failures.add(tool + " " + name + ": " + e);
                        }
                    }
                } finally {
                    done.countDown();
                }
            }, "load-" + w);
            workers.add(t);
            t.start();
        }
        assertThat(done.await(RUN.toSeconds() + 120, TimeUnit.SECONDS)).as("all workers finish").isTrue();
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        assertThat(failures).as("every call answered, none mixed up").isEmpty();
        assertThat(sorted.length).as("calls made").isGreaterThan(CONCURRENCY);
        System.err.printf("[measure] load %s: %d concurrent callers x %d instances for %d s: %d calls (%s), "
                        + "%.0f calls/s, p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", transport, CONCURRENCY, INSTANCES, RUN.toSeconds(),
                sorted.length, tools.get(0) + "=" + perTool[0] + " " + tools.get(1) + "=" + perTool[1] + " " + tools.get(2) + "="
                        + perTool[2] + " " + tools.get(3) + "=" + perTool[3], sorted.length / (double) RUN.toSeconds(),
                pct(sorted, 0.50), pct(sorted, 0.99), sorted[sorted.length - 1] / 1e6);
        for (AtomicInteger n : perTool) {
            assertThat(n.get()).as("every tool was exercised").isPositive();
        }
    }

    private record Call(String tool, String name, int index) {}

    /** Null if the answer is right for the call, else what is wrong with it. */
    private final BiFunction<Call, McpSchema.CallToolResult, String> check = (c, r) -> {
        String text = McpStdioServer.text(r);
        if (Boolean.TRUE.equals(r.isError())) {
            return "isError: " + text;
        }
        if (c.tool().equals("list_instances")) {
            return text.contains("(" + INSTANCES + " online)") ? null : "not all online: " + text;
        }
        String structured = String.valueOf(r.structuredContent());
        if (!(text + structured).contains(c.name())) {
            return "answer does not name " + c.name() + ": " + text;
        }
        for (String other : names) {
            if (!other.equals(c.name()) && (text + structured).contains(other)) {
                return "answer for " + c.name() + " names " + other + ": " + text;
            }
        }
        if (!c.tool().equals("get_status") && !(text + structured).contains(sessionIds.get(c.index()))) {
            return "answer lacks the instance's session: " + text;
        }
        return null;
    };

    private static double pct(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    private static McpSchema.CallToolResult call(McpSyncClient client, String tool, Map<String, Object> args) {
        return client.callTool(McpSchema.CallToolRequest.builder().name(tool).arguments(args).build());
    }
}
