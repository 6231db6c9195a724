package org.opencodemcp.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opencodemcp.server.it.JobsIT.awaitOnline;
import static org.opencodemcp.server.it.JobsIT.ok;

import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.opencodemcp.server.support.McpStdioServer;
import org.opencodemcp.server.support.Registrations;
import org.opencodemcp.server.support.Tmpfs;
import org.opencodemcp.testkit.Closer;
import org.opencodemcp.testkit.FakeLlm;
import org.opencodemcp.testkit.FakeReply;
import org.opencodemcp.testkit.OpenCodeServer;
import org.opencodemcp.testkit.TempDirs;

/**
 * The disk under the jobs database fills up while the server runs (a 2 MB tmpfs, filled by the test):
 * the server keeps serving, the prompt is still sent and followed, and every answer says the job was
 * not recorded and why. Jobs recorded before stay readable.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class JobsDiskFullIT {
    static final String INSTANCE = "testhost-full-disk";

    @Test
    void aFullDiskKeepsTheServerServingAndReportsJobsAsNotRecorded() throws Exception {
        Tmpfs.requireSupport();
        Path registry = TempDirs.create("registry-");
        FakeLlm llm = FakeLlm.start();
        OpenCodeServer opencode = null;
        Tmpfs disk = null;
        McpStdioServer mcp = null;
        try {
            llm.on("DISK-BEFORE", FakeReply.text("Answered while the disk had room."));
            llm.on("DISK-FULL", FakeReply.text("Answered on a full disk."));
            opencode = OpenCodeServer.builder().llm(llm).start();
            Registrations.write(registry, INSTANCE, opencode.port(), opencode.directory().toString());
            disk = Tmpfs.mount("2m");
            Path db = disk.path().resolve("jobs.db");
            mcp = McpStdioServer.start(registry, Map.of("JOBS_DB", db.toString()));
            awaitOnline(mcp, INSTANCE);

            String before = send(mcp, "DISK-BEFORE please");
            Map<String, Object> kept = McpStdioServer.structured(ok(mcp.call("get_job", Map.of("job", before, "wait_seconds", 60))));
            assertThat(kept).containsEntry("state", "completed").containsEntry("recorded", true);

            IOException full = disk.fill("filler");
            assertThat(full.getMessage()).contains("No space left");

            McpSchema.CallToolResult sent = ok(mcp.call("send_message", Map.of("instance", INSTANCE, "session", "new",
                    "message", "DISK-FULL please", "async", true)));
            String job = (String) McpStdioServer.structured(sent).get("job");
            assertThat(McpStdioServer.text(sent)).contains(job).contains("not recorded");

            McpSchema.CallToolResult got = ok(mcp.call("get_job", Map.of("job", job, "wait_seconds", 60)));
            assertThat(McpStdioServer.structured(got)).containsEntry("state", "completed").containsEntry("recorded", false)
                    .containsEntry("text", "Answered on a full disk.");
            assertThat(McpStdioServer.text(got)).contains("Not recorded").contains(db.toString()).contains("disk is full");

            McpSchema.CallToolResult listed = ok(mcp.call("list_jobs", Map.of()));
            assertThat(McpStdioServer.text(listed)).contains(job + "` completed").contains("[not recorded]").contains(before)
                    .contains("Jobs are not being recorded").contains("disk is full");
            assertThat(McpStdioServer.structured(ok(mcp.call("get_job", Map.of("job", before))))).as("read from the full disk")
                    .containsEntry("state", "completed").containsEntry("text", "Answered while the disk had room.");
            assertThat(McpStdioServer.text(ok(mcp.call("list_instances", Map.of())))).contains(INSTANCE).contains("online");
        } finally {
            Closer.closeAll(mcp, disk, opencode, llm, () -> TempDirs.deleteRecursively(registry));
        }
    }

    private static String send(McpStdioServer mcp, String message) {
        McpSchema.CallToolResult sent = ok(mcp.call("send_message", Map.of("instance", INSTANCE, "session", "new",
                "message", message, "async", true)));
        return (String) McpStdioServer.structured(sent).get("job");
    }
}
