package org.opencodemcp.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opencodemcp.server.support.McpStdioServer;
import org.opencodemcp.server.support.Registrations;
import org.opencodemcp.testkit.Closer;
import org.opencodemcp.testkit.Eventually;
import org.opencodemcp.testkit.FakeLlm;
import org.opencodemcp.testkit.FakeReply;
import org.opencodemcp.testkit.OpenCodeBinary;
import org.opencodemcp.testkit.OpenCodeServer;
import org.opencodemcp.testkit.TempDirs;

/**
 * People's machines run different OpenCode releases at once: one packaged server drives the pinned
 * newest release and each older one the build lists ({@code opencode.compat.versions}: the 1.2 line
 * the original project used and a 1.14 release), each through the whole turn: online with its
 * version shown, create and list a session, a sync send that brings the fake LLM's text back, the
 * conversation, the status, and an abort.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class OpenCodeVersionsIT {
    private static final Map<String, OpenCodeServer> SERVERS = new LinkedHashMap<>();
    private static Path registry;
    private static FakeLlm llm;
    private static McpStdioServer mcp;

    static Stream<String> versions() {
        List<String> all = new ArrayList<>();
        all.add(OpenCodeBinary.version());
        all.addAll(OpenCodeBinary.compatVersions());
        return all.stream();
    }

    @BeforeAll
    static void start() {
        registry = TempDirs.create("registry-versions-");
        llm = FakeLlm.start();
        llm.on("VERSION-HELLO", FakeReply.text("Hello ", "across ", "releases."));
        llm.on("VERSION-SLOW", FakeReply.slowText(Duration.ofSeconds(1), "s0 ", "s1 ", "s2 ", "s3 ", "s4 ", "s5 ", "s6 ", "s7 "));
        mcp = McpStdioServer.start(registry);
        versions().forEach(v -> {
            OpenCodeServer oc = OpenCodeServer.builder().llm(llm).version(v).start();
            SERVERS.put(v, oc);
            Registrations.write(registry, name(v), oc.port(), oc.directory().toString());
        });
    }

    @AfterAll
    static void stop() {
        List<AutoCloseable> all = new ArrayList<>();
        all.add(mcp);
        all.addAll(SERVERS.values());
        all.add(llm);
        all.add(() -> TempDirs.deleteRecursively(registry));
        Closer.closeAll(all.toArray(AutoCloseable[]::new));
    }

    private static String name(String version) {
        return "release-" + version.replace('.', '-');
    }

    @ParameterizedTest(name = "opencode {0}")
    @MethodSource("versions")
    void everyReleaseIsDrivenThroughAWholeTurn(String version) {
        String instance = name(version);
        Eventually.await(Duration.ofSeconds(20), () -> {
            Map<String, Object> row = row(instance);
            assertThat(row).containsEntry("state", "online").containsEntry("version", version);
            assertThat(row.get("note")).as("live events on " + version).isNull();
        });

        McpSchema.CallToolResult created = call("create_session", instance, "title", "versions " + version);
        String session = SessionToolsIT.sessionId(created);
        assertThat(McpStdioServer.text(call("list_sessions", instance))).contains(session.substring(0, 12));

        McpSchema.CallToolResult sent = call("send_message", instance, "session", session, "message", "please VERSION-HELLO");
        assertOk(sent, version);
        assertThat(McpStdioServer.structured(sent)).containsEntry("state", "completed").containsEntry("text", "Hello across releases.");

        McpSchema.CallToolResult conversation = call("get_session", instance, "session", session);
        assertOk(conversation, version);
        assertThat(McpStdioServer.text(conversation)).contains("Hello across releases.").contains("VERSION-HELLO");

        assertOk(call("send_message", instance, "session", session, "message", "VERSION-SLOW now", "async", true), version);
        Eventually.await(Duration.ofSeconds(15), () -> assertThat(status(instance, session)).isEqualTo("busy"));
        McpSchema.CallToolResult aborted = call("abort_session", instance, "session", session);
        assertOk(aborted, version);
        Eventually.await(Duration.ofSeconds(15), () -> assertThat(status(instance, session)).isEqualTo("idle"));
    }

    private static String status(String instance, String session) {
        McpSchema.CallToolResult r = call("get_status", instance);
        return SessionToolsIT.list(McpStdioServer.structured(r).get("sessions")).stream()
                .filter(s -> session.equals(s.get("id"))).map(s -> (String) s.get("status")).findFirst().orElse("idle");
    }

    private static Map<String, Object> row(String instance) {
        return SessionToolsIT.list(McpStdioServer.structured(mcp.call("list_instances", Map.of())).get("instances")).stream()
                .filter(r -> instance.equals(r.get("name"))).findFirst().orElseThrow();
    }

    private static McpSchema.CallToolResult call(String tool, String instance, Object... kv) {
        Map<String, Object> args = new HashMap<>();
        args.put("instance", instance);
        for (int i = 0; i < kv.length; i += 2) {
            args.put((String) kv[i], kv[i + 1]);
        }
        return mcp.call(tool, args);
    }

    private static void assertOk(McpSchema.CallToolResult r, String version) {
        assertThat(r.isError()).as("opencode " + version + ": " + McpStdioServer.text(r)).isNotEqualTo(Boolean.TRUE);
    }
}
