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
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each FakeReply kind against the real opencode: what tests of the other modules will rely on. */
class OpenCodeScenariosTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

    private static FakeLlm llm;
    private static OpenCodeServer opencode;

    @BeforeAll
    static void start() {
        llm = FakeLlm.start();
        opencode = OpenCodeServer.builder().llm(llm).permission("{\"bash\":\"ask\"}").start();
    }

    @AfterAll
    static void stop() {
        if (opencode != null) {
            opencode.close();
        }
        if (llm != null) {
            llm.close();
        }
    }

    @Test
    void reasoningBecomesAReasoningPart() throws Exception {
        llm.on("ponder", FakeReply.reasoning("Let me think about it.", FakeReply.text("42")));

        JsonNode reply = call("POST", "/session/" + newSession() + "/message", prompt("ponder this"));

        assertThat(partsOfType(reply, "reasoning")).as(reply.toString()).contains("Let me think about it.");
        assertThat(partsOfType(reply, "text")).containsExactly("42");
    }

    @Test
    void http400EndsTheTurnWithAnApiError() throws Exception {
        llm.on("refuse", FakeReply.error(400, "Bad request from fake"));

        JsonNode reply = call("POST", "/session/" + newSession() + "/message", prompt("refuse this"));

        assertThat(reply.at("/info/error/name").asText()).as(reply.toString()).isEqualTo("APIError");
        assertThat(reply.at("/info/error/data/message").asText()).contains("Bad request from fake");
    }

    @Test
    void http429MakesOpencodeRetry() throws Exception {
        llm.on("throttle", FakeReply.error(429, "Rate limited by fake"));
        String session = newSession();

        call("POST", "/session/" + session + "/prompt_async", prompt("throttle me"));

        Eventually.await(Duration.ofSeconds(20), () -> assertThat(call("GET", "/session/status", null)
                .path(session).path("type").asText()).isEqualTo("retry"));
        call("POST", "/session/" + session + "/abort", "{}");
        Eventually.await(Duration.ofSeconds(10), () -> assertThat(call("GET", "/session/status", null)
                .has(session)).isFalse());
    }

    @Test
    void slowTextKeepsTheSessionBusyUntilAborted() throws Exception {
        llm.on("story", FakeReply.slowText(Duration.ofMillis(500), "Once ", "upon ", "a ", "time ", "there ",
                "was ", "a ", "very ", "long ", "story."));
        String session = newSession();

        call("POST", "/session/" + session + "/prompt_async", prompt("tell a story"));
        Eventually.await(Duration.ofSeconds(20), () -> assertThat(call("GET", "/session/status", null)
                .path(session).path("type").asText()).isEqualTo("busy"));
        call("POST", "/session/" + session + "/abort", "{}");

        Eventually.await(Duration.ofSeconds(10), () -> assertThat(call("GET", "/session/status", null)
                .has(session)).isFalse());
        JsonNode messages = call("GET", "/session/" + session + "/message", null);
        JsonNode last = messages.get(messages.size() - 1);
        assertThat(last.at("/info/error/name").asText()).as(last.toString()).isEqualTo("MessageAbortedError");
    }

    @Test
    void askPermissionBlocksTheToolUntilAnswered() throws Exception {
        llm.on("run echo", FakeReply.toolCall("bash", "{\"command\":\"echo hi\",\"description\":\"say hi\"}",
                FakeReply.text("Ran it.")));
        String session = newSession();

        call("POST", "/session/" + session + "/prompt_async", prompt("please run echo"));

        Eventually.await(Duration.ofSeconds(20), () -> assertThat(call("GET", "/permission", null).toString())
                .contains(session));
        assertThat(call("GET", "/session/status", null).path(session).path("type").asText()).isEqualTo("busy");
        call("POST", "/session/" + session + "/abort", "{}");
        Eventually.await(Duration.ofSeconds(10), () -> assertThat(call("GET", "/session/status", null)
                .has(session)).isFalse());
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static String newSession() throws Exception {
        return call("POST", "/session", "{\"title\":\"scenario\"}").path("id").asText();
    }

    private static String prompt(String text) throws Exception {
        return "{\"model\":{\"providerID\":\"fake\",\"modelID\":\"fake-model\"},\"agent\":\"build\","
                + "\"parts\":[{\"type\":\"text\",\"text\":" + JSON.writeValueAsString(text) + "}]}";
    }

    private static java.util.List<String> partsOfType(JsonNode message, String type) {
        java.util.List<String> texts = new java.util.ArrayList<>();
        for (JsonNode part : message.path("parts")) {
            if (type.equals(part.path("type").asText())) {
                texts.add(part.path("text").asText());
            }
        }
        return texts;
    }

    /** One call to opencode (instance = its project dir); 204 gives an empty object. */
    private static JsonNode call(String method, String path, String json) throws Exception {
        String directory = (path.contains("?") ? "&" : "?") + "directory="
                + URLEncoder.encode(opencode.directory().toString(), StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(opencode.baseUrl() + path + directory))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s %s -> %s\nopencode log:\n%s", method, path, response.body(),
                opencode.logTail()).isBetween(200, 204);
        return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
    }
}
