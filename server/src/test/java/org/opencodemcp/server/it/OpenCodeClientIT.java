package org.opencodemcp.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opencodemcp.server.support.McpStdioServer;
import org.opencodemcp.server.support.Registrations;
import org.opencodemcp.testkit.Closer;
import org.opencodemcp.testkit.Eventually;
import org.opencodemcp.testkit.FakeLlm;
import org.opencodemcp.testkit.FakeReply;
import org.opencodemcp.testkit.OpenCodeServer;
import org.opencodemcp.testkit.ServerEnvironment;
import org.opencodemcp.testkit.TempDirs;

/**
 * OpenCode as the MCP client: a second {@code opencode serve} (the "driver", own HOME and config)
 * whose {@code opencode.json} points at this server twice, as {@code fleet} ({@code type: local}, the
 * packaged jar with an {@code environment} block) and as {@code web} ({@code type: remote}, Streamable
 * HTTP with the bearer token from {@code {env:...}} and {@code oauth: false}). The driver's fake LLM
 * calls {@code <key>_list_instances} and {@code <key>_send_message}; the target opencode's reply must
 * come back into the driver's conversation, and a wrong-instance error's text must reach its model.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(240)
class OpenCodeClientIT {
    private static final String TARGET = "ocd-target";
    private static final String TOKEN_VARIABLE = "OPENCODE_MCP_IT_TOKEN";
    private static final String PONG = "Pong from the target.";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** HTTP/1.1: the JDK client's default h2c upgrade offer on a POST with a body leaves opencode's server hanging. */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private Path registry;
    private Path driverProject;
    private FakeLlm targetLlm;
    private FakeLlm driverLlm;
    private OpenCodeServer target;
    private McpHttpServer http;
    private OpenCodeServer driver;

    @BeforeAll
    void start() throws IOException {
        registry = TempDirs.create("registry-ocd-");
        targetLlm = FakeLlm.start();
        targetLlm.on("RELAY-PING", FakeReply.text(PONG));
        target = OpenCodeServer.builder().llm(targetLlm).start();
        Registrations.write(registry, TARGET, target.port(), target.directory().toString());
        http = McpHttpServer.start(registry, Map.of());

        driverLlm = FakeLlm.start();
        for (String key : List.of("fleet", "web")) {
            driverLlm.on("RELAY-VIA-" + key, FakeReply.toolCall(key + "_list_instances", "{}",
                    FakeReply.toolCall(key + "_send_message", "{\"instance\":\"" + TARGET + "\",\"session\":\"new\",\"message\":\"RELAY-PING via "
                            + key + "\"}", FakeReply.text("Driver done via " + key + "."))));
            driverLlm.on("WRONG-VIA-" + key, FakeReply.toolCall(key + "_get_status", "{\"instance\":\"nope\"}",
                    FakeReply.text("Driver read the error via " + key + ".")));
        }
        driverProject = TempDirs.create("driver-project-");
        Files.writeString(driverProject.resolve("opencode.json"), driverConfig());
        driver = OpenCodeServer.builder().llm(driverLlm).directory(driverProject).env(TOKEN_VARIABLE, McpHttpServer.TOKEN).start();
        Eventually.await(Duration.ofSeconds(60), () -> {
            JsonNode servers = get(driver.baseUrl() + "/mcp");
            assertThat(servers.path("fleet").path("status").asText()).as(servers.toString()).isEqualTo("connected");
            assertThat(servers.path("web").path("status").asText()).as(servers.toString()).isEqualTo("connected");
        });
    }

    /** What a person writes into opencode.json: the token only as {@code {env:...}}, never inline. */
    private String driverConfig() {
        ObjectNode mcp = JSON.createObjectNode();
        ObjectNode local = mcp.putObject("fleet").put("type", "local");
        local.putArray("command").add(McpStdioServer.javaBinary()).add("-jar").add(McpStdioServer.jar().toString());
        ObjectNode environment = local.putObject("environment");
        ServerEnvironment.of(registry).forEach(environment::put); // its own jobs.db, never the account's
        ObjectNode remote = mcp.putObject("web").put("type", "remote").put("url", "http://127.0.0.1:" + http.port() + http.path());
        remote.putObject("headers").put("Authorization", "Bearer {env:" + TOKEN_VARIABLE + "}");
        remote.put("oauth", false);
        ObjectNode root = JSON.createObjectNode().put("$schema", "https://opencode.ai/config.json");
        root.set("mcp", mcp);
        return root.toPrettyString();
    }

    @AfterAll
    void stop() {
        Closer.closeAll(driver, http, target, driverLlm, targetLlm, () -> TempDirs.deleteRecursively(registry),
                () -> TempDirs.deleteRecursively(driverProject));
    }

    Stream<String> keys() {
        return Stream.of("fleet", "web");
    }

    @ParameterizedTest
    @MethodSource("keys")
    void theDriversModelListsInstancesAndGetsTheTargetsReplyBack(String key) throws Exception {
        String keyword = "RELAY-VIA-" + key;
        prompt(keyword);
        List<JsonNode> requests = requestsFor(keyword);
        assertThat(toolNames(requests.get(0))).contains(key + "_list_instances", key + "_send_message", key + "_get_status");
        // round 1 answered list_instances, round 2 send_message: both results are in the last request
        List<String> results = toolResults(requests.get(requests.size() - 1));
        assertThat(results).hasSize(2);
        assertThat(results.get(0)).contains(TARGET).contains("online");
        assertThat(results.get(1)).contains(PONG);
        assertThat(targetLlm.requests().stream().anyMatch(r -> r.toString().contains("RELAY-PING via " + key))).isTrue();
    }

    @ParameterizedTest
    @MethodSource("keys")
    void aWrongInstanceErrorReachesTheDriversModelWordForWord(String key) throws Exception {
        String keyword = "WRONG-VIA-" + key;
        prompt(keyword);
        List<JsonNode> requests = requestsFor(keyword);
        List<String> results = toolResults(requests.get(requests.size() - 1));
        assertThat(results).hasSize(1);
        assertThat(results.get(0)).contains("No instance matches \"nope\". Available: " + TARGET)
                .doesNotContain("-32602").doesNotContain("output schema");
    }

    // ---- the driver -------------------------------------------------------------------------------

    /** A new driver session, one blocking prompt (the whole turn, tool calls included). */
    private void prompt(String text) throws Exception {
        String session = post(driver.baseUrl() + "/session", "{}").path("id").asText();
        ObjectNode body = JSON.createObjectNode();
        body.putArray("parts").addObject().put("type", "text").put("text", text);
        post(driver.baseUrl() + "/session/" + session + "/message", body.toString());
    }

    /** The driver's main-turn requests for the prompt containing {@code keyword}, oldest first. */
    private List<JsonNode> requestsFor(String keyword) {
        List<JsonNode> mine = driverLlm.requests().stream()
                .filter(r -> r.hasNonNull("tools") && r.path("messages").toString().contains(keyword)).toList();
        assertThat(mine).as("requests the driver sent for " + keyword).isNotEmpty();
        return mine;
    }

    private static List<String> toolNames(JsonNode request) {
        List<String> names = new ArrayList<>();
        request.path("tools").forEach(t -> names.add(t.path("function").path("name").asText()));
        return names;
    }

    /** The text of every tool result message in a request, in order. */
    private static List<String> toolResults(JsonNode request) {
        List<String> results = new ArrayList<>();
        for (JsonNode m : request.path("messages")) {
            if ("tool".equals(m.path("role").asText())) {
                JsonNode content = m.path("content");
                results.add(content.isTextual() ? content.asText() : content.toString());
            }
        }
        return results;
    }

    private static JsonNode post(String url, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static JsonNode get(String url) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build();
        return JSON.readTree(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body());
    }
}
