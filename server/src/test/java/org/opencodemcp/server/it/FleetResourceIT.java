package org.opencodemcp.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.opencodemcp.server.support.McpStdioServer;
import org.opencodemcp.server.support.Registrations;
import org.opencodemcp.testkit.Closer;
import org.opencodemcp.testkit.Eventually;
import org.opencodemcp.testkit.FakeOpenCode;
import org.opencodemcp.testkit.TempDirs;

/**
 * The resources through the packaged jar and the MCP Java SDK client: listed, readable, and a
 * subscription to opencode://fleet hears of an instance going down within a second, and nothing while
 * nothing changes or after unsubscribing.
 */
class FleetResourceIT {

    @Test
    @Timeout(120)
    void fleetSubscriptionHearsOfChangesOnlyAndWithinASecond() throws Exception {
        Path registry = TempDirs.create("registry-resources-");
        FakeOpenCode a = FakeOpenCode.start("/fleet/alpha");
        FakeOpenCode b = FakeOpenCode.start("/fleet/beta");
        FakeOpenCode c = FakeOpenCode.start("/fleet/gamma");
        McpStdioServer mcp = null;
        try {
            Registrations.write(registry, "alpha", a.port(), a.cwd());
            Registrations.write(registry, "beta", b.port(), b.cwd());
            Registrations.write(registry, "gamma", c.port(), c.cwd());
            McpStdioServer server = mcp = McpStdioServer.start(registry);
            Eventually.await(Duration.ofSeconds(15), () -> assertThat(read(server, "opencode://fleet")).contains("\"online\":3"));
            assertThat(read(server, "opencode://fleet")).as("fleet_status's content rides along")
                    .contains("\"fleet\":{").contains("\"waiting\":0").doesNotContain("waitingSeconds");
            a.emit("{\"type\":\"permission.asked\",\"properties\":{\"id\":\"per_fleet_1\",\"sessionID\":\"ses_fleet_1\","
                    + "\"permission\":\"bash\",\"patterns\":[\"make\"],\"metadata\":{},\"always\":[]}}");
            Eventually.await(Duration.ofSeconds(5), () -> assertThat(read(server, "opencode://fleet"))
                    .contains("\"waiting\":1").contains("per_fleet_1").doesNotContain("waitingSeconds"));

            assertThat(mcp.client().listResources().resources()).extracting(McpSchema.Resource::uri).containsExactly("opencode://fleet");
            assertThat(mcp.client().listResourceTemplates().resourceTemplates()).extracting(McpSchema.ResourceTemplate::uriTemplate)
                    .containsExactlyInAnyOrder("opencode://instance/{name}", "opencode://instance/{name}/session/{id}");
            assertThat(read(mcp, "opencode://instance/beta")).contains("\"name\":\"beta\"").contains("\"state\":\"online\"");
            try {
                read(mcp, "opencode://instance/nobody");
                throw new AssertionError("a missing instance must not be readable");
            } catch (McpError e) {
                assertThat(e.getJsonRpcError().code()).isEqualTo(-32002);
            }

            // subscriptions are bounded: only resources that exist are accepted
            for (String bad : List.of("opencode://instance/nobody", "file:///etc/passwd", "opencode://instance/beta/session/x y")) {
                try {
                    mcp.client().subscribeResource(new McpSchema.SubscribeRequest(bad));
                    throw new AssertionError("subscribed to " + bad);
                } catch (McpError e) {
                    assertThat(e.getJsonRpcError().code()).as(bad).isEqualTo(-32602);
                }
            }
            mcp.client().subscribeResource(new McpSchema.SubscribeRequest("opencode://fleet"));
            Thread.sleep(3000); // settled, heartbeats flowing: no notification for unchanged content
            assertThat(mcp.resourceUpdates()).isEmpty();

            long closed = System.nanoTime();
            b.close();
            Eventually.await(Duration.ofSeconds(5), () -> assertThat(server.resourceUpdates()).isNotEmpty());
            McpStdioServer.Update first = mcp.resourceUpdates().get(0);
            long ms = (first.nanos() - closed) / 1_000_000;
            System.err.printf("[measure] opencode://fleet update %d ms after an instance went down%n", ms);
            assertThat(ms).isLessThan(1000);
            assertThat(first.contents().toString()).contains("unreachable");

            Thread.sleep(2500); // coalesced: the down instance's re-probes do not make a notification per second each
            int afterDown = mcp.resourceUpdates().size();
            assertThat(afterDown).isLessThanOrEqualTo(3);

            mcp.client().unsubscribeResource(new McpSchema.UnsubscribeRequest("opencode://fleet"));
            Thread.sleep(200);
            int before = mcp.resourceUpdates().size();
            c.close();
            Eventually.await(Duration.ofSeconds(5), () -> assertThat(read(server, "opencode://fleet")).contains("\"unreachable\":2"));
            Thread.sleep(1500);
            assertThat(mcp.resourceUpdates()).hasSize(before);
        } finally {
            Closer.closeAll(mcp, a, b, c, () -> TempDirs.deleteRecursively(registry));
        }
    }

    private static String read(McpStdioServer mcp, String uri) {
        McpSchema.ReadResourceResult r = mcp.client().readResource(new McpSchema.ReadResourceRequest(uri));
        return ((McpSchema.TextResourceContents) r.contents().get(0)).text();
    }
}
