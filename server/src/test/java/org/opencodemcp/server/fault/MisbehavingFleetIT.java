package org.opencodemcp.server.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.opencodemcp.server.support.McpStdioServer;
import org.opencodemcp.server.support.Registrations;
import org.opencodemcp.testkit.Eventually;
import org.opencodemcp.testkit.FakeOpenCode;
import org.opencodemcp.testkit.FakeOpenCode.Fault;
import org.opencodemcp.testkit.TempDirs;

/**
 * The packaged server with a 64 MiB heap meets instances that flood their event streams, stall
 * their bodies and refuse their streams, beside healthy ones: the healthy ones keep answering at
 * once, calls to a stalled one end at their deadline without taking the others' threads, memory
 * stays bounded, and the log does not repeat itself.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MisbehavingFleetIT {

    @Test
    void oneBadInstanceNeverHurtsTheOthers() throws Exception {
        Path registry = TempDirs.create("registry-misbehaving-");
        List<FakeOpenCode> fakes = new ArrayList<>();
        ExecutorService callers = Executors.newFixedThreadPool(30);
        try {
            FakeOpenCode healthy = start(fakes, "/work/healthy");
            FakeOpenCode stalled = start(fakes, "/work/stalled", Fault.STALLED_SESSION_LIST);
            Registrations.write(registry, "healthy", healthy.port(), healthy.cwd());
            Registrations.write(registry, "stalled", stalled.port(), stalled.cwd());
            for (int i = 0; i < 3; i++) {
                FakeOpenCode flood = start(fakes, "/work/flood" + i, Fault.STREAM_ENDLESS_DATA);
                Registrations.write(registry, "flood" + i, flood.port(), flood.cwd());
                FakeOpenCode lines = start(fakes, "/work/lines" + i, Fault.STREAM_LONG_LINES);
                Registrations.write(registry, "lines" + i, lines.port(), lines.cwd());
            }
            for (int i = 0; i < 10; i++) {
                FakeOpenCode refusing = start(fakes, "/work/refusing" + i, Fault.NO_EVENTS);
                Registrations.write(registry, "refusing" + i, refusing.port(), refusing.cwd());
            }
            Map<String, String> env = Map.of("OPENCODE_REQUEST_TIMEOUT_MS", "3000");
            try (McpStdioServer mcp = McpStdioServer.startWithJvm(registry, env,
                    List.of("-Xmx64m", "-XX:+ExitOnOutOfMemoryError"))) {
                Eventually.await(Duration.ofSeconds(15), () -> assertThat(text(mcp.call("list_instances", Map.of())))
                        .contains("(18 online)"));

                // 25 callers pile onto the stalled instance: more than the SDK's tool-call pool (20 threads).
                List<CompletableFuture<McpSchema.CallToolResult>> stuck = new ArrayList<>();
                for (int i = 0; i < 25; i++) {
                    stuck.add(CompletableFuture.supplyAsync(() -> mcp.call("list_sessions", Map.of("instance", "stalled")), callers));
                }
                Thread.sleep(300);
                for (int i = 0; i < 5; i++) {
                    long t0 = System.nanoTime();
                    assertThat(mcp.call("list_sessions", Map.of("instance", "healthy")).isError()).isNotEqualTo(Boolean.TRUE);
                    assertThat(text(mcp.call("list_instances", Map.of()))).contains("healthy");
                    assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("healthy calls while one instance stalls")
                            .isLessThan(Duration.ofSeconds(2));
                }
                for (CompletableFuture<McpSchema.CallToolResult> f : stuck) {
                    McpSchema.CallToolResult r = f.get(20, TimeUnit.SECONDS);
                    assertThat(r.isError()).isTrue();
                    assertThat(text(r)).containsAnyOf("no complete answer within 3000 ms", "calls waiting for an answer and answered nothing");
                }

                Thread.sleep(8000); // ten seconds of floods on six streams, with a 64 MiB heap
                String listed = text(mcp.call("list_instances", Map.of()));
                assertThat(listed).contains("(18 online)").contains("no live events");
                String log = String.join("\n", mcp.stderr());
                assertThat(log).doesNotContain("OutOfMemoryError");
                long refusedLines = mcp.stderr().stream().filter(l -> l.contains("refusing0")).count();
                assertThat(refusedLines).as("log lines about one refusing instance").isLessThanOrEqualTo(6);
            }
        } finally {
            callers.shutdownNow();
            fakes.forEach(FakeOpenCode::close);
            TempDirs.deleteRecursively(registry);
        }
    }

    /**
     * 1,500 junk files of 60 KiB (90 MiB in all) in a 64 MiB heap: each is reported invalid and only a
     * digest of it is kept, so the server lives on (it used to run out of memory and exit with 0).
     */
    @Test
    void junkFilesAreReportedWithoutKeepingTheirBytes() throws Exception {
        Path registry = TempDirs.create("registry-junk-");
        try {
            byte[] junk = new byte[60 * 1024];
            java.util.Arrays.fill(junk, (byte) '{');
            for (int i = 0; i < 1500; i++) {
                java.nio.file.Files.write(registry.resolve("junk-" + i + ".json"), junk);
            }
            try (McpStdioServer mcp = McpStdioServer.startWithJvm(registry, Map.of(), List.of("-Xmx64m", "-XX:+ExitOnOutOfMemoryError"))) {
                Eventually.await(Duration.ofSeconds(40), () -> assertThat(McpStdioServer.structured(mcp.call("list_instances", Map.of())))
                        .extracting("counts").asString().contains("invalid=1500"));
                assertThat(String.join("\n", mcp.stderr())).doesNotContain("OutOfMemoryError");
            }
        } finally {
            TempDirs.deleteRecursively(registry);
        }
    }

    private static FakeOpenCode start(List<FakeOpenCode> fakes, String cwd, Fault... faults) {
        FakeOpenCode f = FakeOpenCode.start(cwd, faults);
        fakes.add(f);
        return f;
    }

    private static String text(McpSchema.CallToolResult r) {
        return McpStdioServer.text(r);
    }
}
