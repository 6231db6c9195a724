package org.opencodemcp.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.opencodemcp.server.support.McpStdioServer;
import org.opencodemcp.server.support.Registrations;
import org.opencodemcp.testkit.Closer;
import org.opencodemcp.testkit.Eventually;
import org.opencodemcp.testkit.FakeLlm;
import org.opencodemcp.testkit.FakeOpenCode;
import org.opencodemcp.testkit.FakeReply;
import org.opencodemcp.testkit.OpenCodeServer;
import org.opencodemcp.testkit.TempDirs;

/**
 * Supervising a fleet end to end, through the packaged jar: the fake LLM asks questions (one, several, with
 * options) and writes todos with the real opencode; send_message returns a question at once, fleet_status lists
 * every wait across instances oldest first with the reply call, reply_question answers or dismisses, and a fake
 * OpenCode misbehaves (questions for unknown sessions, replies nobody asked for).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class SupervisionIT {
    static final String ASKER = "testhost-asker";
    static final String GUARDED = "testhost-guarded";
    static final String ROGUE = "testhost-rogue";
    static final String ONE = "{\"questions\":[{\"question\":\"Which color?\",\"header\":\"Color\",\"options\":["
            + "{\"label\":\"Red\",\"description\":\"warm\"},{\"label\":\"Blue\",\"description\":\"cool\"}]}]}";
    static final String TWO = "{\"questions\":[{\"question\":\"Which color?\",\"header\":\"Color\",\"options\":["
            + "{\"label\":\"Red\",\"description\":\"warm\"},{\"label\":\"Blue\",\"description\":\"cool\"}]},"
            + "{\"question\":\"Which sizes?\",\"header\":\"Size\",\"multiple\":true,\"options\":["
            + "{\"label\":\"S\",\"description\":\"small\"},{\"label\":\"L\",\"description\":\"large\"}]}]}";
    static final String TODOS = "{\"todos\":[{\"content\":\"first step\",\"status\":\"completed\",\"priority\":\"high\"},"
            + "{\"content\":\"second step\",\"status\":\"in_progress\",\"priority\":\"medium\"},"
            + "{\"content\":\"third step\",\"status\":\"pending\",\"priority\":\"low\"}]}";

    private static Path registry;
    private static FakeLlm llm;
    private static OpenCodeServer asker;
    private static OpenCodeServer guarded;
    private static FakeOpenCode rogue;
    private static McpStdioServer mcp;

    @BeforeAll
    static void start() {
        registry = TempDirs.create("registry-");
        llm = FakeLlm.start();
        llm.on("ASK-ONE", FakeReply.toolCall("question", ONE, FakeReply.text("You chose well.")));
        llm.on("ASK-TWO", FakeReply.toolCall("question", TWO, FakeReply.text("Both answers noted.")));
        llm.on("ASK-REJECT", FakeReply.toolCall("question", ONE, FakeReply.text("This never comes.")));
        llm.on("WRITE-TODOS", FakeReply.toolCall("todowrite", TODOS,
                FakeReply.slowText(Duration.ofMillis(700), "Working ", "through ", "the ", "list ", "now.")));
        llm.on("ASK-BASH", FakeReply.toolCall("bash", "{\"command\":\"echo supervised\",\"description\":\"Echo\"}",
                FakeReply.text("Bash ran.")));
        asker = OpenCodeServer.builder().llm(llm).start();
        guarded = OpenCodeServer.builder().llm(llm).permission("{\"bash\":\"ask\"}").start();
        rogue = FakeOpenCode.start("/rogue/project");
        mcp = McpStdioServer.start(registry);
        Registrations.write(registry, ASKER, asker.port(), asker.directory().toString());
        Registrations.write(registry, GUARDED, guarded.port(), guarded.directory().toString());
        Registrations.write(registry, ROGUE, rogue.port(), rogue.cwd());
        Eventually.await(Duration.ofSeconds(10), () -> assertThat(McpStdioServer.structured(mcp.call("fleet_status", Map.of())))
                .containsEntry("online", 3));
    }

    @AfterAll
    static void stop() {
        Closer.closeAll(mcp, asker, guarded, rogue, llm, () -> TempDirs.deleteRecursively(registry));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aQuestionReturnsEarlyIsListedWithItsReplyCallAndTheAnswerLetsTheTurnFinish() {
        McpSchema.CallToolResult sent = mcp.call("send_message", args(ASKER, "session", "new", "message", "ASK-ONE please",
                "wait_seconds", 40));
        assertThat(sent.isError()).as(() -> McpStdioServer.text(sent)).isFalse();
        Map<String, Object> s = McpStdioServer.structured(sent);
        assertThat(s).containsEntry("state", "waiting_question");
        Map<String, Object> question = (Map<String, Object>) s.get("question");
        String id = (String) question.get("id");
        String session = (String) s.get("sessionId");
        assertThat(id).startsWith("que_");
        assertThat((List<Map<String, Object>>) question.get("questions")).singleElement().satisfies(q -> {
            assertThat(q).containsEntry("question", "Which color?");
            assertThat((List<Map<String, Object>>) q.get("options")).extracting(o -> o.get("label")).containsExactly("Red", "Blue");
        });
        assertThat((String) s.get("followUp")).isEqualTo("reply_question {\"instance\":\"" + ASKER + "\",\"question_id\":\"" + id
                + "\",\"answers\":[[\"Red\"]]}");
        assertThat(McpStdioServer.text(sent)).contains("Which color?").contains("`Red` (warm)").contains("`Blue` (cool)")
                .contains("reply_question").contains(id);

        Map<String, Object> item = itemFor(id);
        assertThat(item).containsEntry("kind", "question").containsEntry("instance", ASKER).containsEntry("sessionId", session);
        assertThat((String) item.get("next")).startsWith("reply_question").contains(id);

        McpSchema.CallToolResult wrong = mcp.call("reply_question", args(ASKER, "question_id", "que_nope", "answers", List.of(List.of("Red"))));
        assertThat(wrong.isError()).isTrue();
        assertThat(wrong.structuredContent()).isNull();
        assertThat(McpStdioServer.text(wrong)).contains(id).contains("reply_question");
        McpSchema.CallToolResult both = mcp.call("reply_question", args(ASKER, "question_id", id, "answers", List.of(List.of("Red")),
                "reject", true));
        assertThat(both.isError()).isTrue();
        assertThat(McpStdioServer.text(both)).contains("not both");

        McpSchema.CallToolResult replied = mcp.call("reply_question", args(ASKER, "question_id", id, "answers", List.of(List.of("Red"))));
        assertThat(replied.isError()).as(() -> McpStdioServer.text(replied)).isFalse();
        assertThat(McpStdioServer.structured(replied)).containsEntry("rejected", false).containsEntry("sessionId", session);

        Eventually.await(Duration.ofSeconds(30), () -> assertThat(McpStdioServer.text(mcp.call("get_session", args(ASKER, "session", session))))
                .contains("tool `question` completed").contains("You chose well."));
        assertThat(items()).noneSatisfy(i -> assertThat(i).containsEntry("sessionId", session).containsEntry("kind", "question"));

        // the same question answered again: OpenCode no longer has it, and the error names where to look
        McpSchema.CallToolResult again = mcp.call("reply_question", args(ASKER, "question_id", id, "answers", List.of(List.of("Blue"))));
        assertThat(again.isError()).isTrue();
        assertThat(McpStdioServer.text(again)).contains("No pending question").contains("fleet_status");
    }

    @Test
    @SuppressWarnings("unchecked")
    void severalQuestionsNeedOneAnswerListEach() {
        Map<String, Object> s = McpStdioServer.structured(mcp.call("send_message", args(ASKER, "session", "new",
                "message", "ASK-TWO please", "wait_seconds", 40)));
        assertThat(s).containsEntry("state", "waiting_question");
        Map<String, Object> question = (Map<String, Object>) s.get("question");
        String id = (String) question.get("id");
        assertThat((List<Map<String, Object>>) question.get("questions")).hasSize(2)
                .last().satisfies(q -> assertThat(q).containsEntry("multiple", true));

        McpSchema.CallToolResult short1 = mcp.call("reply_question", args(ASKER, "question_id", id, "answers", List.of(List.of("Blue"))));
        assertThat(short1.isError()).isTrue();
        assertThat(McpStdioServer.text(short1)).contains("needs 2").contains("Which sizes?");

        McpSchema.CallToolResult replied = mcp.call("reply_question", args(ASKER, "question_id", id,
                "answers", List.of(List.of("Blue"), List.of("S", "L"))));
        assertThat(replied.isError()).as(() -> McpStdioServer.text(replied)).isFalse();
        String session = (String) s.get("sessionId");
        Eventually.await(Duration.ofSeconds(30), () -> assertThat(McpStdioServer.text(mcp.call("get_session", args(ASKER, "session", session))))
                .contains("Both answers noted."));
    }

    @Test
    void aDismissedQuestionEndsTheTurnWithoutAnotherLlmCall() {
        Map<String, Object> s = McpStdioServer.structured(mcp.call("send_message", args(ASKER, "session", "new",
                "message", "ASK-REJECT please", "wait_seconds", 40)));
        assertThat(s).containsEntry("state", "waiting_question");
        @SuppressWarnings("unchecked")
        String id = (String) ((Map<String, Object>) s.get("question")).get("id");
        String session = (String) s.get("sessionId");
        int llmCalls = llm.mainTurnRequests();

        McpSchema.CallToolResult rejected = mcp.call("reply_question", args(ASKER, "question_id", id, "reject", true));
        assertThat(rejected.isError()).as(() -> McpStdioServer.text(rejected)).isFalse();
        assertThat(McpStdioServer.structured(rejected)).containsEntry("rejected", true);

        Eventually.await(Duration.ofSeconds(20), () -> {
            Map<String, Object> got = McpStdioServer.structured(mcp.call("get_session", args(ASKER, "session", session)));
            @SuppressWarnings("unchecked")
            Map<String, Object> summary = (Map<String, Object>) got.get("session");
            assertThat(summary).containsEntry("status", "idle");
            assertThat(McpStdioServer.text(mcp.call("get_session", args(ASKER, "session", session))))
                    .contains("tool `question` error").doesNotContain("This never comes.");
        });
        assertThat(llm.mainTurnRequests()).isEqualTo(llmCalls);
        assertThat(items()).noneSatisfy(i -> assertThat(i).containsEntry("sessionId", session).containsEntry("kind", "question"));
    }

    @Test
    void aPermissionAndAQuestionOnTwoInstancesShowInOneFleetStatusOldestFirst() {
        Map<String, Object> perm = McpStdioServer.structured(mcp.call("send_message", args(GUARDED, "session", "new",
                "message", "ASK-BASH please", "wait_seconds", 40)));
        assertThat(perm).containsEntry("state", "waiting_permission");
        Map<String, Object> ask = McpStdioServer.structured(mcp.call("send_message", args(ASKER, "session", "new",
                "message", "ASK-ONE again", "wait_seconds", 40)));
        assertThat(ask).containsEntry("state", "waiting_question");

        McpSchema.CallToolResult fleet = mcp.call("fleet_status", Map.of());
        List<Map<String, Object>> waits = items(fleet).stream().filter(i -> perm.get("sessionId").equals(i.get("sessionId"))
                || ask.get("sessionId").equals(i.get("sessionId"))).toList();
        assertThat(waits).extracting(i -> i.get("kind")).containsExactly("permission", "question");
        assertThat(waits.get(0)).containsEntry("instance", GUARDED);
        assertThat((String) waits.get(0).get("next")).startsWith("reply_permission");
        assertThat(waits.get(1)).containsEntry("instance", ASKER);
        assertThat(McpStdioServer.text(fleet)).contains("waiting on you").contains("reply_permission").contains("reply_question");
        // narrowed to one instance, only its wait shows
        assertThat(items(mcp.call("fleet_status", Map.of("instance", GUARDED)))).allSatisfy(i -> assertThat(i).containsEntry("instance", GUARDED));
        // list_instances counts both waits per instance, in the text and the structured rows
        Eventually.await(Duration.ofSeconds(5), () -> {
            assertThat(listedRow(GUARDED)).containsEntry("pendingPermissions", 1).doesNotContainKey("pendingQuestions");
            assertThat(listedRow(ASKER)).containsEntry("pendingQuestions", 1).doesNotContainKey("pendingPermissions");
        });
        assertThat(McpStdioServer.text(mcp.call("list_instances", Map.of())))
                .contains("1 waiting for permission").contains("1 question waiting for an answer");

        @SuppressWarnings("unchecked")
        String permissionId = (String) ((Map<String, Object>) perm.get("permission")).get("id");
        @SuppressWarnings("unchecked")
        String questionId = (String) ((Map<String, Object>) ask.get("question")).get("id");
        assertThat(mcp.call("reply_permission", args(GUARDED, "permission_id", permissionId, "reply", "once")).isError()).isFalse();
        assertThat(mcp.call("reply_question", args(ASKER, "question_id", questionId, "answers", List.of(List.of("Blue")))).isError()).isFalse();
        Eventually.await(Duration.ofSeconds(20), () -> assertThat(items()).noneSatisfy(i -> assertThat(i)
                .containsEntry("kind", "question").containsEntry("instance", ASKER)));
        Eventually.await(Duration.ofSeconds(20), () -> assertThat(items()).noneSatisfy(i -> assertThat(i)
                .containsEntry("kind", "permission")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void todosShowInGetSessionAndAsProgressInFleetStatusAndUsageIsCounted() {
        Map<String, Object> sent = McpStdioServer.structured(mcp.call("send_message", args(ASKER, "session", "new",
                "message", "WRITE-TODOS please", "async", true)));
        String session = (String) sent.get("sessionId");
        Eventually.await(Duration.ofSeconds(20), () -> assertThat(items()).anySatisfy(i -> assertThat(i)
                .containsEntry("sessionId", session).containsEntry("kind", "busy").containsEntry("todoProgress", "1/3 done")));
        Eventually.await(Duration.ofSeconds(30), () -> assertThat(McpStdioServer.text(mcp.call("get_session",
                args(ASKER, "session", session)))).contains("Working through the list now."));

        McpSchema.CallToolResult got = mcp.call("get_session", args(ASKER, "session", session));
        assertThat(McpStdioServer.text(got)).contains("### Todos (1/3 done)").contains("- [x] first step")
                .contains("- [ ] second step (in_progress, medium)");
        Map<String, Object> summary = (Map<String, Object>) McpStdioServer.structured(got).get("session");
        assertThat((List<Map<String, Object>>) summary.get("todos")).extracting(t -> t.get("content"))
                .containsExactly("first step", "second step", "third step");
        assertThat(summary).containsEntry("agent", "build").containsEntry("model", "fake/fake-model");
        assertThat(((Number) summary.get("cost")).doubleValue()).isPositive();
        assertThat(((Number) ((Map<String, Object>) summary.get("tokens")).get("input")).longValue()).isPositive();

        List<Map<String, Object>> listed = (List<Map<String, Object>>) McpStdioServer.structured(mcp.call("list_sessions",
                args(ASKER))).get("sessions");
        assertThat(listed).filteredOn(x -> x.get("id").equals(session)).singleElement()
                .satisfies(x -> assertThat(x).containsEntry("todoProgress", "1/3 done").containsKey("cost"));
        // the text can be read before the turn's idle event arrives: wait for the session to settle
        Eventually.await(Duration.ofSeconds(20), () -> assertThat(items(mcp.call("fleet_status", Map.of("include_idle", true))))
                .anySatisfy(i -> assertThat(i).containsEntry("sessionId", session).containsEntry("kind", "idle")
                        .containsEntry("todoProgress", "1/3 done")));
    }

    @Test
    void aMisbehavingInstanceCannotConfuseTheFleetView() {
        // a question for a session nobody knows, a reply for a question never asked, a question without questions
        rogue.emit("{\"type\":\"question.asked\",\"properties\":{\"id\":\"que_rogue1\",\"sessionID\":\"ses_ghost\","
                + "\"questions\":[{\"question\":\"Who am I?\",\"options\":[{\"label\":\"`| nobody\"}]}]}}");
        rogue.emit("{\"type\":\"question.replied\",\"properties\":{\"sessionID\":\"ses_ghost\",\"requestID\":\"que_never\"}}");
        rogue.emit("{\"type\":\"question.asked\",\"properties\":{\"id\":\"que_rogue2\",\"questions\":\"not a list\"}}");
        rogue.emit("{\"type\":\"todo.updated\",\"properties\":{\"sessionID\":\"ses_ghost\",\"todos\":[7,{\"content\":null}]}}");
        Eventually.await(Duration.ofSeconds(10), () -> assertThat(items()).anySatisfy(i -> assertThat(i)
                .containsEntry("instance", ROGUE).containsEntry("kind", "question").containsEntry("sessionId", "ses_ghost")));
        assertThat(items()).noneSatisfy(i -> assertThat(i.toString()).contains("que_rogue2"));
        // OpenCode there knows no such question: the reply is refused with what is pending, nothing is sent
        McpSchema.CallToolResult reply = mcp.call("reply_question", args(ROGUE, "question_id", "que_rogue1", "answers", List.of(List.of("x"))));
        assertThat(reply.isError()).isTrue();
        assertThat(reply.structuredContent()).isNull();
        assertThat(McpStdioServer.text(reply)).contains("No pending question");

        // the instance goes away with its question pending: listed as unavailable, its wait no longer offered
        rogue.close();
        Eventually.await(Duration.ofSeconds(15), () -> {
            McpSchema.CallToolResult fleet = mcp.call("fleet_status", Map.of());
            assertThat(items(fleet)).noneSatisfy(i -> assertThat(i).containsEntry("instance", ROGUE));
            assertThat(McpStdioServer.text(fleet)).contains("Unavailable:").contains(ROGUE);
        });
    }

    static List<Map<String, Object>> items() {
        return items(mcp.call("fleet_status", Map.of()));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> items(McpSchema.CallToolResult fleet) {
        assertThat(fleet.isError()).as(() -> McpStdioServer.text(fleet)).isFalse();
        return (List<Map<String, Object>>) McpStdioServer.structured(fleet).get("items");
    }

    /** The structured row list_instances shows for one instance. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> listedRow(String name) {
        McpSchema.CallToolResult listed = mcp.call("list_instances", Map.of("query", name));
        assertThat(listed.isError()).as(() -> McpStdioServer.text(listed)).isFalse();
        return ((List<Map<String, Object>>) McpStdioServer.structured(listed).get("instances")).stream()
                .filter(r -> name.equals(r.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("list_instances does not list " + name));
    }

    static Map<String, Object> itemFor(String requestId) {
        return items().stream().filter(i -> i.toString().contains(requestId)).findFirst()
                .orElseThrow(() -> new AssertionError("fleet_status does not list " + requestId + ": " + items()));
    }

    static Map<String, Object> args(String instance, Object... kv) {
        Map<String, Object> m = new HashMap<>();
        m.put("instance", instance);
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
