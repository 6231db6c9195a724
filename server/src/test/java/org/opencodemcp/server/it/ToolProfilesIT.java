package org.opencodemcp.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.spec.McpSchema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.opencodemcp.server.support.McpStdioServer;
import org.opencodemcp.testkit.ServerEnvironment;
import org.opencodemcp.testkit.TempDirs;

/** TOOLS / --tools through the packaged jar: each profile lists exactly its tools; a wrong one stops the start. */
@Timeout(120)
class ToolProfilesIT {
    static final List<String> FULL = List.of("list_instances", "refresh_instances", "list_sessions", "get_session",
            "create_session", "send_message", "get_status", "abort_session", "reply_permission", "reply_question", "fleet_status", "get_diff",
            "list_agents", "get_job", "list_jobs");
    static final List<String> SIMPLE = List.of("instances", "send", "read");

    private static List<String> tools(Map<String, String> env, String... args) {
        Path registry = TempDirs.create("registry-profiles-");
        try (McpStdioServer mcp = McpStdioServer.start(registry, env, args)) {
            return mcp.client().listTools().tools().stream().map(McpSchema.Tool::name).toList();
        } finally {
            TempDirs.deleteRecursively(registry);
        }
    }

    @Test
    void fullIsTheDefaultAndHoldsEveryFullTool() {
        List<String> names = tools(Map.of());
        assertThat(names).containsAll(FULL).doesNotContainAnyElementsOf(SIMPLE);
        assertThat(tools(Map.of("TOOLS", "full"))).containsExactlyInAnyOrderElementsOf(names);
    }

    @Test
    void simpleHoldsExactlyInstancesSendRead() {
        assertThat(tools(Map.of("TOOLS", "simple"))).containsExactlyInAnyOrderElementsOf(SIMPLE);
        assertThat(tools(Map.of(), "--tools", "simple")).containsExactlyInAnyOrderElementsOf(SIMPLE);
    }

    @Test
    void allHoldsBoth() {
        List<String> full = tools(Map.of());
        List<String> all = tools(Map.of("TOOLS", "all"));
        assertThat(all).hasSize(full.size() + SIMPLE.size()).containsAll(full).containsAll(SIMPLE);
    }

    @Test
    void anUnknownProfileIsAOneLineStartUpError() throws Exception {
        for (List<String> how : List.<List<String>>of(List.of(), List.of("--tools", "tiny"))) {
            Path registry = TempDirs.create("registry-profiles-");
            try {
                List<String> cmd = new java.util.ArrayList<>(List.of(McpStdioServer.javaBinary(), "-jar", McpStdioServer.jar().toString()));
                cmd.addAll(how);
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(false);
                ServerEnvironment.apply(pb, registry); // its own jobs.db, never the account's
                pb.environment().put("TOOLS", "tiny");
                Process p = pb.start();
                p.getOutputStream().close();
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                assertThat(p.exitValue()).isEqualTo(2);
                assertThat(err.lines().toList()).hasSize(1);
                assertThat(err).contains("tiny").contains("full, simple, all");
            } finally {
                TempDirs.deleteRecursively(registry);
            }
        }
    }
}
