package org.opencodemcp.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.opencodemcp.server.support.McpStdioServer;
import org.opencodemcp.testkit.ServerEnvironment;
import org.opencodemcp.testkit.TempDirs;

/**
 * stdio answers {@code initialize} before its MCP server is built (EarlyInitialize), and the SDK still
 * sees the request: through the packaged jar, the client gets exactly one answer per request, the
 * session goes on as usual, and the answer is the same JSON as the one the SDK writes when the early
 * path stands aside (a blank first line).
 */
@Timeout(120)
class EarlyInitializeIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path registry;

    @BeforeAll
    static void registry() throws IOException {
        registry = TempDirs.create("registry-early-init-");
    }

    @AfterAll
    static void cleanUp() {
        TempDirs.deleteRecursively(registry);
    }

    private static String initialize(String id, String version) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"" + version
                + "\",\"capabilities\":{\"roots\":{\"listChanged\":true}},\"clientInfo\":{\"name\":\"early\",\"version\":\"1\"}}}";
    }

    /** Runs the jar, writes {@code lines} (waiting for an answer after each request), closes stdin; every line of stdout. */
    private static List<JsonNode> session(String... lines) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(McpStdioServer.javaBinary(), "-jar", McpStdioServer.jar().toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        ServerEnvironment.apply(pb, registry);
        Process p = pb.start();
        List<JsonNode> seen = new ArrayList<>();
        try (OutputStream in = p.getOutputStream();
                BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line : lines) {
                in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                in.flush();
                JsonNode sent = line.isBlank() ? null : JSON.readTree(line);
                if (sent != null && sent.has("id")) {
                    JsonNode answer;
                    do {
                        String text = out.readLine();
                        assertThat(text).as("an answer to " + line).isNotNull();
                        answer = JSON.readTree(text);
                        seen.add(answer);
                    } while (!answer.path("id").equals(sent.get("id")));
                }
            }
            in.close();
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("exits when stdin closes").isTrue();
            for (String text; (text = out.readLine()) != null; ) {
                seen.add(JSON.readTree(text));
            }
        } finally {
            p.destroyForcibly();
        }
        return seen;
    }

    private static List<JsonNode> withId(List<JsonNode> messages, String id) throws IOException {
        JsonNode want = JSON.readTree(id);
        return messages.stream().filter(m -> want.equals(m.get("id"))).toList();
    }

    @Test
    void eachRequestGetsOneAnswerAndTheSessionGoesOn() throws Exception {
        List<JsonNode> seen = session(initialize("\"init\"", "2025-06-18"),
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":\"init\",\"method\":\"ping\"}", // an id may be reused once answered
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\",\"params\":{}}",
                "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"list_instances\",\"arguments\":{}}}");

        List<JsonNode> init = withId(seen, "\"init\"");
        assertThat(init).as("the initialize answer, then the ping's: " + seen).hasSize(2);
        assertThat(init.get(0).path("result").path("protocolVersion").asText()).isEqualTo("2025-06-18");
        assertThat(init.get(0).path("result").path("serverInfo").path("name").asText()).isEqualTo("opencode-mcp");
        assertThat(init.get(1).path("result").isObject()).isTrue();
        assertThat(init.get(1).path("result").has("protocolVersion")).isFalse();
        assertThat(withId(seen, "2")).hasSize(1);
        assertThat(withId(seen, "2").get(0).path("result").path("tools").size()).isGreaterThan(5);
        assertThat(withId(seen, "3")).hasSize(1);
        assertThat(withId(seen, "3").get(0).path("result").path("isError").asBoolean(false)).isFalse();
    }

    @Test
    void theEarlyAnswerIsTheSdksAnswer() throws Exception {
        for (String version : List.of("2025-06-18", "2099-01-01")) {
            String request = initialize("1", version);
            JsonNode early = withId(session(request), "1").get(0);
            // a blank first line: the early path stands aside and the SDK answers
            List<JsonNode> bySdk = withId(session("", request), "1");
            assertThat(bySdk).hasSize(1);
            assertThat(early).isEqualTo(bySdk.get(0));
        }
    }
}
