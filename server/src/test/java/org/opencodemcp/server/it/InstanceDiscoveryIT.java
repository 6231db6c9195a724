package org.opencodemcp.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opencodemcp.server.support.McpStdioServer;
import org.opencodemcp.server.support.Registrations;
import org.opencodemcp.testkit.Eventually;
import org.opencodemcp.testkit.FakeLlm;
import org.opencodemcp.testkit.OpenCodeServer;
import org.opencodemcp.testkit.Closer;
import org.opencodemcp.testkit.TempDirs;

/**
 * End to end: the packaged jar over stdio (real MCP Java SDK client) discovers a real
 * {@code opencode serve} from its registration file, notices it die, and forgets it when the file goes.
 */
class InstanceDiscoveryIT {
    private Path registry;
    private FakeLlm llm;
    private OpenCodeServer opencode;
    private McpStdioServer mcp;

    @BeforeEach
    void start() {
        registry = TempDirs.create("registry-");
        llm = FakeLlm.start();
        opencode = OpenCodeServer.builder().llm(llm).start();
        mcp = McpStdioServer.start(registry);
    }

    @AfterEach
    void stop() {
        Closer.closeAll(mcp, opencode, llm, () -> TempDirs.deleteRecursively(registry));
    }

    @Test
    void registeredInstanceComesOnlineThenUnreachableWhenKilledThenGoneWhenRemoved() throws Exception {
        assertThat(mcp.client().listTools().tools()).extracting(McpSchema.Tool::name)
                .contains("list_instances", "refresh_instances");
        assertThat(mcp.client().listTools().tools()).allSatisfy(t -> assertThat(t.outputSchema()).isNotNull());

        String cwd = opencode.directory().toString();
        Path file = Registrations.write(registry, "testhost-project", opencode.port(), cwd);

        // How fast is measured by scripts/bench (discovery p99 over 200 registrations); here a loaded CI
        // machine only gets a deadline that catches a discovery that never happens.
        Eventually.await(Duration.ofSeconds(10), () -> {
            Map<String, Object> only = onlyInstance();
            assertThat(only).containsEntry("name", "testhost-project").containsEntry("state", "online")
                    .containsEntry("version", "1.18.33").containsEntry("cwd", cwd);
        });
        McpSchema.CallToolResult listed = mcp.call("list_instances", Map.of());
        assertThat(McpStdioServer.text(listed)).contains("testhost-project").contains("online").contains("1.18.33");

        opencode.killHard();
        Eventually.await(Duration.ofSeconds(10), () -> assertThat(onlyInstance()).containsEntry("state", "unreachable"));
        assertThat(Files.exists(file)).as("a single failure never deletes the file").isTrue();

        Files.delete(file);
        Eventually.await(Duration.ofSeconds(10), () -> assertThat(instances()).isEmpty());
    }

    @Test
    void refreshReportsABrokenFileAndAWrongDirectoryWithoutDeletingThem() throws Exception {
        Path broken = Registrations.writeRaw(registry, "broken.json", "{\"name\":\"broken\",\"port\":");
        Path wrong = Registrations.write(registry, "elsewhere", opencode.port(), "/some/other/project");

        McpSchema.CallToolResult refreshed = mcp.call("refresh_instances", Map.of());
        assertThat(refreshed.isError()).isFalse();
        List<Map<String, Object>> all = instancesOf(refreshed);
        assertThat(all).anySatisfy(i -> assertThat(i).containsEntry("name", "broken").containsEntry("state", "invalid")
                .hasEntrySatisfying("reason", r -> assertThat((String) r).contains("malformed JSON")));
        assertThat(all).anySatisfy(i -> assertThat(i).containsEntry("name", "elsewhere").containsEntry("state", "mismatch")
                .hasEntrySatisfying("reason", r -> assertThat((String) r).contains("/some/other/project")));
        assertThat(McpStdioServer.text(refreshed)).contains("Not usable").contains("broken.json");
        assertThat(broken).exists();
        assertThat(wrong).exists();
    }

    private Map<String, Object> onlyInstance() {
        List<Map<String, Object>> all = instances();
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    private List<Map<String, Object>> instances() {
        return instancesOf(mcp.call("list_instances", Map.of()));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> instancesOf(McpSchema.CallToolResult result) {
        return (List<Map<String, Object>>) McpStdioServer.structured(result).get("instances");
    }
}
