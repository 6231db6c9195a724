package org.opencodemcp.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.opencodemcp.server.support.McpStdioServer;
import org.opencodemcp.server.support.OneInstanceFleet;
import org.opencodemcp.server.support.Ownership;
import org.opencodemcp.testkit.Closer;
import org.opencodemcp.testkit.Eventually;

/**
 * The per-instance secret end to end: a real {@code opencode serve} started with its own password,
 * the packaged server started with a different relay-wide one; the instance's {@code <name>.auth}
 * is what gets it online, and a rewritten one is used from the next probe.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PerInstanceSecretIT {
    private static final String SECRET = "per-launch-" + Long.toHexString(System.nanoTime()) + "-secret";

    private OneInstanceFleet fleet;
    private Path registry;
    private McpStdioServer mcp;

    @BeforeEach
    void start() {
        fleet = OneInstanceFleet.builder("laptop-proj").opencode(b -> b.password(SECRET))
                .serverEnv(Map.of("OPENCODE_SERVER_PASSWORD", "the-relay-wide-password-is-wrong-here")).unregistered().start();
        registry = fleet.registry();
        mcp = fleet.mcp();
    }

    @AfterEach
    void stop() {
        Closer.closeAll(fleet);
    }

    @Test
    void theInstancesOwnAuthFileGetsItOnlineAndARewriteIsUsedAtTheNextProbe() {
        Ownership.writeAuth(registry, "laptop-proj", "opencode:" + SECRET + "\n");
        fleet.register();
        Eventually.await(Duration.ofSeconds(10), () -> assertThat(only()).containsEntry("state", "online"));

        Ownership.writeAuth(registry, "laptop-proj", "opencode:not-the-secret");
        Map<String, Object> refreshed = instancesOf(mcp.call("refresh_instances", Map.of())).get(0);
        assertThat(refreshed.get("state")).isNotEqualTo("online");
        assertThat((String) refreshed.get("reason")).doesNotContain("not-the-secret").doesNotContain(SECRET);

        Ownership.writeAuth(registry, "laptop-proj", "opencode:" + SECRET);
        assertThat(instancesOf(mcp.call("refresh_instances", Map.of())).get(0)).containsEntry("state", "online");
        assertThat(String.join("\n", mcp.stderr())).doesNotContain(SECRET);
    }

    private Map<String, Object> only() {
        List<Map<String, Object>> all = instancesOf(mcp.call("list_instances", Map.of()));
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> instancesOf(McpSchema.CallToolResult result) {
        return (List<Map<String, Object>>) McpStdioServer.structured(result).get("instances");
    }
}
