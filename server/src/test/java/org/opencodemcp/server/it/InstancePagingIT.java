package org.opencodemcp.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.opencodemcp.server.support.McpStdioServer;
import org.opencodemcp.server.support.Registrations;
import org.opencodemcp.testkit.Closer;
import org.opencodemcp.testkit.Eventually;
import org.opencodemcp.testkit.FakeOpenCode;
import org.opencodemcp.testkit.TempDirs;

/**
 * list_instances at 1,000 registrations (fake OpenCode servers), through the packaged jar and the MCP
 * Java SDK client: the default answer stays small, counts cover the whole registry, and walking the
 * pages (default size, an odd size, with a filter) returns every instance exactly once.
 */
class InstancePagingIT {
    private static final int FLEET = 1000;

    @Test
    @Timeout(240)
    void pagesCoverAThousandInstancesExactlyOnce() throws Exception {
        Path registry = TempDirs.create("registry-paging-");
        List<FakeOpenCode> fakes = new ArrayList<>();
        McpStdioServer mcp = null;
        try {
            fakes.addAll(IntStream.range(0, FLEET).parallel().mapToObj(i -> FakeOpenCode.start("/fleet/dir-" + i)).toList());
            for (int i = 0; i < FLEET; i++) {
                Registrations.write(registry, "node-" + i, fakes.get(i).port(), fakes.get(i).cwd());
            }
            McpStdioServer server = mcp = McpStdioServer.start(registry);
            Eventually.await(Duration.ofSeconds(120), () -> assertThat(counts(server.call("list_instances", Map.of())))
                    .containsEntry("online", FLEET));

            McpSchema.CallToolResult first = mcp.call("list_instances", Map.of());
            Map<String, Object> sc = McpStdioServer.structured(first);
            assertThat(sc).containsEntry("total", FLEET).containsEntry("matched", FLEET).containsKey("nextCursor");
            assertThat((List<?>) sc.get("instances")).hasSize(100);
            int bytes = new ObjectMapper().writeValueAsString(first).getBytes(StandardCharsets.UTF_8).length;
            System.err.printf("[measure] list_instances default answer at %d instances: %d bytes%n", FLEET, bytes);
            assertThat(bytes).isLessThan(32 * 1024);

            assertThat(walk(mcp, Map.of(), 10)).hasSize(FLEET);
            assertThat(walk(mcp, Map.of("limit", 37), 28)).hasSize(FLEET);
            // "node-1" is in the name of node-1, node-10..19, node-100..199: 111 instances
            Set<String> filtered = walk(mcp, Map.of("query", "NODE-1", "limit", 50), 3);
            assertThat(filtered).hasSize(111).allSatisfy(n -> assertThat(n).startsWith("node-1"));

            for (int i = 0; i < 5; i++) {
                fakes.get(i * 100).close();
            }
            Eventually.await(Duration.ofSeconds(30), () -> assertThat(counts(server.call("list_instances", Map.of())))
                    .containsEntry("unreachable", 5));
            Map<String, Object> down = McpStdioServer.structured(mcp.call("list_instances", Map.of("state", "unreachable")));
            assertThat(down).containsEntry("matched", 5).doesNotContainKey("nextCursor");
            assertThat(((List<?>) down.get("instances")).stream().map(m -> (String) ((Map<?, ?>) m).get("name")).toList())
                    .containsExactlyInAnyOrder("node-0", "node-100", "node-200", "node-300", "node-400");

            McpSchema.CallToolResult bad = mcp.call("list_instances", Map.of("cursor", "not-a-cursor"));
            assertThat(bad.isError()).isTrue();
            assertThat(McpStdioServer.text(bad)).contains("nextCursor");
        } finally {
            Closer.closeAll(mcp, () -> fakes.parallelStream().forEach(FakeOpenCode::close),
                    () -> TempDirs.deleteRecursively(registry));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> counts(McpSchema.CallToolResult r) {
        return (Map<String, Object>) McpStdioServer.structured(r).get("counts");
    }

    /** Follows nextCursor to the end; every name must come exactly once. */
    @SuppressWarnings("unchecked")
    private static Set<String> walk(McpStdioServer mcp, Map<String, Object> args, int expectedPages) {
        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            Map<String, Object> a = new HashMap<>(args);
            if (cursor != null) {
                a.put("cursor", cursor);
            }
            Map<String, Object> sc = McpStdioServer.structured(mcp.call("list_instances", a));
            assertThat(sc).containsEntry("total", FLEET);
            for (Object row : (List<Object>) sc.get("instances")) {
                String name = (String) ((Map<String, Object>) row).get("name");
                assertThat(seen.add(name)).as("%s listed twice", name).isTrue();
            }
            cursor = (String) sc.get("nextCursor");
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(expectedPages);
        return seen;
    }
}
