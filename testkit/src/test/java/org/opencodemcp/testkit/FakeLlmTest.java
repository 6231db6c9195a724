package org.opencodemcp.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fake LLM over raw HTTP, exactly as opencode's OpenAI-compatible provider would call it. */
class FakeLlmTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private FakeLlm llm;

    @BeforeEach
    void start() {
        llm = FakeLlm.start();
    }

    @AfterEach
    void stop() {
        llm.close();
    }

    @Test
    void streamsTextPiecesAsSseChunks() throws Exception {
        llm.on("greet", FakeReply.text("Hel", "lo ", "there"));

        HttpResponse<String> response = post(mainTurn("please greet me", true));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        List<String> data = dataLines(response.body());
        assertThat(data.get(data.size() - 1)).isEqualTo("[DONE]");
        List<JsonNode> chunks = data.subList(0, data.size() - 1).stream().map(FakeLlmTest::parse).toList();
        assertThat(chunks.get(0).at("/choices/0/delta/role").asText()).isEqualTo("assistant");
        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk"));
        StringBuilder text = new StringBuilder();
        chunks.forEach(chunk -> text.append(chunk.at("/choices/0/delta/content").asText("")));
        assertThat(text).hasToString("Hello there");
        assertThat(chunks.get(chunks.size() - 2).at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        JsonNode usage = chunks.get(chunks.size() - 1);
        assertThat(usage.path("choices")).isEmpty();
        assertThat(usage.at("/usage/total_tokens").asInt()).isPositive();

        assertThat(llm.requests()).hasSize(1);
        assertThat(llm.mainTurnRequests()).isEqualTo(1);
    }

    @Test
    void unmatchedPromptGetsDefaultTextAndNonStreamingGetsPlainCompletion() throws Exception {
        HttpResponse<String> response = post(mainTurn("something else", false));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode completion = parse(response.body());
        assertThat(completion.path("object").asText()).isEqualTo("chat.completion");
        assertThat(completion.at("/choices/0/message/content").asText()).isEqualTo(FakeLlm.DEFAULT_TEXT);
        assertThat(completion.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    }

    @Test
    void titleRequestsWithoutToolsGetATitleWhateverTheScenario() throws Exception {
        llm.on("boom", FakeReply.error(400, "never for titles"));
        String body = "{\"model\":\"fake-model\",\"stream\":true,\"messages\":["
                + "{\"role\":\"system\",\"content\":\"You are a title generator\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Generate a title: boom\"}]}]}";

        HttpResponse<String> response = post(body);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(contentOf(response.body())).isEqualTo(FakeLlm.TITLE);
        assertThat(llm.requests()).hasSize(1);
        assertThat(llm.mainTurnRequests()).isZero();
    }

    @Test
    void toolCallThenAfterReplyOnceTheToolResultComesBack() throws Exception {
        llm.on("make file", FakeReply.toolCall("write", "{\"filePath\":\"a.txt\",\"content\":\"x\"}",
                FakeReply.text("Wrote it.")));

        List<JsonNode> first = chunks(post(mainTurn("please make file", true)).body());
        JsonNode start = first.get(1).at("/choices/0/delta/tool_calls/0");
        assertThat(start.at("/function/name").asText()).isEqualTo("write");
        assertThat(start.path("id").asText()).startsWith("call_");
        assertThat(first.get(2).at("/choices/0/delta/tool_calls/0/function/arguments").asText())
                .isEqualTo("{\"filePath\":\"a.txt\",\"content\":\"x\"}");
        assertThat(first.get(3).at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");

        String followUp = "{\"model\":\"fake-model\",\"stream\":true,\"tools\":[],\"messages\":["
                + "{\"role\":\"user\",\"content\":\"please make file\"},"
                + "{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"write\",\"arguments\":\"{}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"ok\"}]}";
        assertThat(contentOf(post(followUp).body())).isEqualTo("Wrote it.");
        assertThat(llm.mainTurnRequests()).isEqualTo(2);
    }

    @Test
    void errorRepliesUseOpenAiErrorBodies() throws Exception {
        llm.on("limit", FakeReply.error(429, "Rate limited by fake"));

        HttpResponse<String> response = post(mainTurn("hit the limit", true));

        assertThat(response.statusCode()).isEqualTo(429);
        JsonNode error = parse(response.body()).path("error");
        assertThat(error.path("message").asText()).isEqualTo("Rate limited by fake");
        assertThat(error.path("type").asText()).isEqualTo("rate_limit_exceeded");
    }

    @Test
    void reasoningComesBeforeTheAnswerInOneStream() throws Exception {
        llm.on("think", FakeReply.reasoning("Let me think.", FakeReply.text("42")));

        List<JsonNode> chunks = chunks(post(mainTurn("think hard", true)).body());

        StringBuilder reasoning = new StringBuilder();
        chunks.forEach(chunk -> reasoning.append(chunk.at("/choices/0/delta/reasoning_content").asText("")));
        assertThat(reasoning).hasToString("Let me think.");
        assertThat(contentOfChunks(chunks)).isEqualTo("42");
    }

    @Test
    void slowTextSleepsBetweenPiecesAndSurvivesAClientThatLeaves() throws Exception {
        llm.on("slow", FakeReply.slowText(Duration.ofMillis(200), "a", "b", "c"));

        // pieces arrive spaced out, as a slow model would send them
        List<Long> arrivals = new ArrayList<>();
        try (BufferedReader sse = stream(mainTurn("slow please", true))) {
            String line;
            while ((line = sse.readLine()) != null) {
                if (line.contains("\"content\":\"") && !line.contains("\"content\":\"\"")) {
                    arrivals.add(System.nanoTime());
                }
            }
        }
        assertThat(arrivals).hasSize(3);
        assertThat(Duration.ofNanos(arrivals.get(2) - arrivals.get(0))).isGreaterThanOrEqualTo(Duration.ofMillis(350));

        // a client that hangs up mid-stream (opencode aborting a turn) does not break the fake
        llm.on("endless", FakeReply.slowText(Duration.ofMillis(100), "x".repeat(50).split("")));
        try (BufferedReader sse = stream(mainTurn("endless story", true))) {
            assertThat(sse.readLine()).startsWith("data: ");
        }
        Thread.sleep(300); // let the fake try to write into the closed connection
        assertThat(contentOf(post(mainTurn("anything", true)).body())).isEqualTo(FakeLlm.DEFAULT_TEXT);
    }

    @Test
    void listsTheModel() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(llm.baseUrl() + "/models")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(parse(response.body()).at("/data/0/id").asText()).isEqualTo("fake-model");
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static String mainTurn(String userText, boolean stream) {
        return "{\"model\":\"fake-model\",\"stream\":" + stream + ",\"tools\":[{\"type\":\"function\","
                + "\"function\":{\"name\":\"bash\"}}],\"messages\":[{\"role\":\"system\",\"content\":\"sys\"},"
                + "{\"role\":\"user\",\"content\":\"" + userText + "\"}]}";
    }

    private HttpResponse<String> post(String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(llm.baseUrl() + "/chat/completions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(10)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private BufferedReader stream(String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(llm.baseUrl() + "/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        InputStream in = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream()).body();
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    private static List<String> dataLines(String sse) {
        List<String> data = new ArrayList<>();
        for (String line : sse.split("\n")) {
            if (line.startsWith("data: ")) {
                data.add(line.substring("data: ".length()));
            } else {
                assertThat(line).as("only data lines and blank separators").isEmpty();
            }
        }
        return data;
    }

    private static List<JsonNode> chunks(String sse) {
        List<String> data = dataLines(sse);
        return data.subList(0, data.size() - 1).stream().map(FakeLlmTest::parse).toList();
    }

    private static String contentOf(String sse) {
        return contentOfChunks(chunks(sse));
    }

    private static String contentOfChunks(List<JsonNode> chunks) {
        StringBuilder text = new StringBuilder();
        chunks.forEach(chunk -> text.append(chunk.at("/choices/0/delta/content").asText("")));
        return text.toString();
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}
