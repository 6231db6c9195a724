package org.opencodemcp.server.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.opencodemcp.server.support.McpStdioServer;
import org.opencodemcp.server.support.Registrations;
import org.opencodemcp.testkit.Eventually;
import org.opencodemcp.testkit.FakeOpenCode;
import org.opencodemcp.testkit.TempDirs;

/**
 * A server with N live instances is stopped and started again: every instance is online again at
 * once, from the very first call after initialize (time printed), and no registration is pruned, even with a very short prune grace.
 */
class ServerRestartIT {
    private static final int INSTANCES = 20;

    @Test
    void allLiveInstancesAreBackAtOnceAfterARestartAndNothingIsPruned() throws Exception {
        Path registry = TempDirs.create("registry-restart-");
        List<FakeOpenCode> fakes = new ArrayList<>();
        try {
            for (int i = 1; i <= INSTANCES; i++) {
                Path cwd = Files.createDirectories(registry.resolve("projects").resolve("p" + i));
                FakeOpenCode fake = FakeOpenCode.start(cwd.toString());
                fakes.add(fake);
                Registrations.write(registry, String.format("restart-%02d", i), fake.port(), fake.cwd());
            }
            List<Path> before = files(registry);
            Map<String, String> env = Map.of("PRUNE_AFTER_MS", "1000");
            try (McpStdioServer first = McpStdioServer.start(registry, env)) {
                Eventually.await(Duration.ofSeconds(15), () -> assertThat(listed(first)).contains("(" + INSTANCES + " online)"));
            }
            long t0 = System.nanoTime();
            try (McpStdioServer second = McpStdioServer.start(registry, env)) {
                long initialized = System.nanoTime();
                // the registry starts after the initialize answer; the first call waits for its first look
                assertThat(listed(second)).as("the first call after initialize already sees the whole fleet online")
                        .contains("(" + INSTANCES + " online)");
                Eventually.await(Duration.ofSeconds(10), () -> assertThat(listed(second)).contains("(" + INSTANCES + " online)"));
                long online = System.nanoTime();
                System.err.printf("[measure] restart with %d live instances: spawn -> initialized %d ms, initialized -> all online %d ms "
                        + "(spawn -> all online %d ms)%n", INSTANCES, (initialized - t0) / 1_000_000, (online - initialized) / 1_000_000,
                        (online - t0) / 1_000_000);
                assertThat(online - t0).as("all back within 10 s of the spawn").isLessThan(Duration.ofSeconds(10).toNanos());
                Thread.sleep(1500); // past the prune grace: still nothing pruned
                assertThat(listed(second)).contains("(" + INSTANCES + " online)");
                assertThat(String.join("\n", second.stderr())).doesNotContainIgnoringCase("pruned");
            }
            assertThat(files(registry)).as("no registration pruned").containsExactlyInAnyOrderElementsOf(before);
        } finally {
            fakes.forEach(FakeOpenCode::close);
            TempDirs.deleteRecursively(registry);
        }
    }

    private static String listed(McpStdioServer mcp) {
        return McpStdioServer.text(mcp.call("list_instances", Map.of()));
    }

    private static List<Path> files(Path registry) throws Exception {
        try (Stream<Path> s = Files.list(registry)) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }
}
