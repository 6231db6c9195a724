package org.opencodemcp.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The real opencode binary, driven over its HTTP API, answered by the fake LLM. */
class OpenCodeServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void startsAnswersHealthAndRoundTripsAPrompt() throws Exception {
        try (FakeLlm llm = FakeLlm.start(); OpenCodeServer opencode = OpenCodeServer.builder().llm(llm).start()) {
            JsonNode health = get(opencode, "/global/health", null);
            assertThat(health.path("healthy").asBoolean()).isTrue();
            assertThat(health.path("version").asText()).isEqualTo(OpenCodeBinary.version()).isEqualTo("1.18.33");
            assertThat(opencode.port()).isPositive();
            assertThat(opencode.baseUrl()).isEqualTo("http://127.0.0.1:" + opencode.port());
            assertThat(Files.readString(opencode.directory().resolve("README.md"))).isNotBlank();
            assertThat(opencode.directory().resolve(".git")).isDirectory();

            JsonNode reply = prompt(opencode, "Say hello");

            assertThat(reply.at("/info/role").asText()).isEqualTo("assistant");
            assertThat(reply.at("/info/finish").asText()).as(reply.toString()).isEqualTo("stop");
            assertThat(texts(reply)).containsExactly(FakeLlm.DEFAULT_TEXT);
            assertThat(reply.at("/info/cost").asDouble()).isPositive(); // the config's cost reached opencode
            assertThat(llm.mainTurnRequests()).isEqualTo(1);
        }
    }

    @Test
    void toolCallScenarioWritesAFileThroughOpencode() throws Exception {
        try (FakeLlm llm = FakeLlm.start(); OpenCodeServer opencode = OpenCodeServer.builder().llm(llm).start()) {
            String args = "{\"filePath\":\"" + opencode.directory().resolve("hello.txt") + "\",\"content\":\"written by a tool\\n\"}";
            llm.on("create the file", FakeReply.toolCall("write", args, FakeReply.text("Done", ", file written.")));

            String session = newSession(opencode);
            JsonNode reply = prompt(opencode, session, "Please create the file");

            assertThat(reply.at("/info/finish").asText()).as(reply.toString()).isEqualTo("stop");
            assertThat(texts(reply)).containsExactly("Done, file written.");
            assertThat(Files.readString(opencode.directory().resolve("hello.txt"))).isEqualTo("written by a tool\n");
            assertThat(llm.mainTurnRequests()).isEqualTo(2);
            JsonNode followUp = llm.requests().stream().filter(body -> body.hasNonNull("tools"))
                    .reduce((a, b) -> b).orElseThrow();
            JsonNode messages = followUp.path("messages");
            assertThat(messages.get(messages.size() - 1).path("role").asText()).isEqualTo("tool");

            // the temp project is a git repo, so opencode tracks the change and the turn has a diff
            String userMessage = get(opencode, "/session/" + session + "/message" + directoryQuery(opencode), null)
                    .get(0).at("/info/id").asText();
            JsonNode diff = get(opencode, "/session/" + session + "/diff" + directoryQuery(opencode)
                    + "&messageID=" + userMessage, null);
            assertThat(diff.findValuesAsText("file")).as(diff.toString()).containsExactly("hello.txt");
        }
    }

    @Test
    void stopLeavesNoProcessBehind() throws Exception {
        OpenCodeServer opencode = OpenCodeServer.builder().start();
        long pid = opencode.pid();
        try {
            assertThat(ProcessHandle.of(pid)).hasValueSatisfying(handle -> assertThat(handle.isAlive()).isTrue());
            prompt(opencode, "warm it up"); // a used instance has loaded plugins; it must still stop fast
            List<ProcessHandle> children = ProcessHandle.of(pid).orElseThrow().descendants().toList();

            long started = System.nanoTime();
            opencode.stop();

            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .as("SIGTERM honoured without waiting for the kill fallback").isLessThan(Duration.ofSeconds(4));
            assertThat(opencode.isAlive()).isFalse();
            assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
            assertThat(children).noneMatch(ProcessHandle::isAlive);
        } finally {
            opencode.close();
        }
        assertThat(opencode.home()).doesNotExist();
    }

    @Test
    void killHardEndsTheProcessAtOnce() {
        try (OpenCodeServer opencode = OpenCodeServer.builder().start()) {
            opencode.killHard();
            assertThat(opencode.isAlive()).isFalse();
            assertThat(ProcessHandle.of(opencode.pid()).filter(ProcessHandle::isAlive)).isEmpty();
        }
    }

    @Test
    void passwordTurnsOnBasicAuth() throws Exception {
        try (OpenCodeServer opencode = OpenCodeServer.builder().username("alice").password("s3cret").start()) {
            HttpResponse<String> anonymous = HTTP.send(HttpRequest.newBuilder(
                    URI.create(opencode.baseUrl() + "/global/health")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(get(opencode, "/global/health", "alice:s3cret").path("healthy").asBoolean()).isTrue();
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /** POST /session then the blocking POST /session/{id}/message, which answers when the turn is over. */
    private static JsonNode prompt(OpenCodeServer opencode, String text) throws Exception {
        return prompt(opencode, newSession(opencode), text);
    }

    private static JsonNode prompt(OpenCodeServer opencode, String session, String text) throws Exception {
        String body = "{\"model\":{\"providerID\":\"fake\",\"modelID\":\"fake-model\"},\"agent\":\"build\","
                + "\"parts\":[{\"type\":\"text\",\"text\":" + JSON.writeValueAsString(text) + "}]}";
        return post(opencode, "/session/" + session + "/message" + directoryQuery(opencode), body);
    }

    private static String newSession(OpenCodeServer opencode) throws Exception {
        return post(opencode, "/session" + directoryQuery(opencode), "{\"title\":\"testkit\"}").path("id").asText();
    }

    private static String directoryQuery(OpenCodeServer opencode) {
        return "?directory=" + URLEncoder.encode(opencode.directory().toString(), StandardCharsets.UTF_8);
    }

    private static List<String> texts(JsonNode message) {
        return message.path("parts").findParents("type").stream()
                .filter(part -> "text".equals(part.path("type").asText()))
                .map(part -> part.path("text").asText()).toList();
    }

    private static JsonNode get(OpenCodeServer opencode, String path, String userColonPassword) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(opencode.baseUrl() + path))
                .timeout(Duration.ofSeconds(10));
        if (userColonPassword != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString(userColonPassword.getBytes(StandardCharsets.UTF_8)));
        }
        return send(opencode, request.build());
    }

    private static JsonNode post(OpenCodeServer opencode, String path, String json) throws Exception {
        return send(opencode, HttpRequest.newBuilder(URI.create(opencode.baseUrl() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json))
                .timeout(Duration.ofSeconds(60)).build());
    }

    private static JsonNode send(OpenCodeServer opencode, HttpRequest request) throws Exception {
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s -> %s\nopencode log:\n%s", request.uri(), response.body(),
                opencode.logTail()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
