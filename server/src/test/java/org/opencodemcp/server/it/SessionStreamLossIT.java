package org.opencodemcp.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opencodemcp.server.support.McpStdioServer;
import org.opencodemcp.server.support.OneInstanceFleet;
import org.opencodemcp.testkit.Eventually;
import org.opencodemcp.testkit.FakeLlm;
import org.opencodemcp.testkit.FakeReply;
import org.opencodemcp.testkit.OpenCodeServer;
import org.opencodemcp.testkit.Closer;

/** A send that is waiting when the instance dies answers at once ("stream_lost") instead of waiting out its budget. */
class SessionStreamLossIT {
    private OneInstanceFleet fleet;

    @AfterEach
    void stop() {
        Closer.closeAll(fleet);
    }

    @Test
    void waitingSendReportsTheLostStreamPromptly() throws Exception {
        fleet = OneInstanceFleet.builder("testhost-lost").scenarios(llm -> llm.on("ENDLESS", FakeReply.slowText(
                Duration.ofSeconds(1), "e0 ", "e1 ", "e2 ", "e3 ", "e4 ", "e5 ", "e6 ", "e7 ", "e8 ", "e9 ", "e10 ", "e11 ",
                "e12 ", "e13 ", "e14 ", "e15 ", "e16 ", "e17 ", "e18 ", "e19"))).start();
        McpStdioServer mcp = fleet.mcp();
        FakeLlm llm = fleet.llm();
        OpenCodeServer opencode = fleet.opencode();

        long started = System.nanoTime();
        CompletableFuture<McpSchema.CallToolResult> send = CompletableFuture.supplyAsync(() -> mcp.call("send_message",
                Map.of("instance", "testhost-lost", "session", "new", "message", "ENDLESS story", "wait_seconds", 60)));
        Eventually.await(Duration.ofSeconds(20), () -> assertThat(llm.mainTurnRequests()).isPositive());
        opencode.killHard();

        McpSchema.CallToolResult result = send.get(20, TimeUnit.SECONDS);
        assertThat(result.isError()).as(() -> McpStdioServer.text(result)).isFalse();
        assertThat(McpStdioServer.structured(result)).containsEntry("state", "stream_lost").containsKey("followUp");
        assertThat(McpStdioServer.text(result)).contains("refresh_instances");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(40));
    }
}
