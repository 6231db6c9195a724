package org.opencodemcp.server.opencode;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.api.Test;

/** Decodes the events recorded from each OpenCode release into the typed model. */
class EventDecoderTest {
    static final List<String> VERSIONS = RecordedSamples.VERSIONS;
    static final Set<String> TYPED = Set.of("session.status", "session.idle", "session.error", "session.created",
            "session.updated", "message.updated", "message.part.updated", "message.part.delta", "permission.asked",
            "permission.replied", "question.asked", "question.replied", "question.rejected", "todo.updated", "file.edited",
            "server.heartbeat");

    @ParameterizedTest
    @FieldSource("VERSIONS")
    void everyRecordedEventDecodesAndTheOnesWeUseAreTyped(String version) throws Exception {
        List<OpenCodeEvent> events = RecordedSamples.events(version);
        assertThat(events).hasSizeGreaterThan(100);
        for (OpenCodeEvent e : events) {
            assertThat(e.typed()).as(e.type()).isNotNull();
            if (TYPED.contains(e.type())) {
                assertThat(e.typed()).as(e.type() + " " + e.properties()).isNotInstanceOf(Event.Other.class);
            } else {
                assertThat(e.typed()).isInstanceOf(Event.Other.class);
            }
        }
        Set<String> seen = events.stream().map(OpenCodeEvent::type).collect(Collectors.toSet());
        assertThat(seen).contains("question.asked", "question.replied", "question.rejected", "todo.updated",
                "permission.asked", "permission.replied", "session.error", "file.edited", "message.part.delta", "server.heartbeat");
    }

    @ParameterizedTest
    @FieldSource("VERSIONS")
    void questionsRepliesAndRejections(String version) throws Exception {
        List<Event> events = typed(version);
        List<Question> asked = of(events, Event.QuestionAsked.class).stream().map(Event.QuestionAsked::question).toList();
        assertThat(asked).hasSize(2);
        Question one = asked.get(0);
        assertThat(one.id()).startsWith("que_");
        assertThat(one.sessionId()).startsWith("ses_");
        assertThat(one.callId()).isNotBlank();
        assertThat(one.questions()).singleElement().satisfies(q -> {
            assertThat(q.question()).isEqualTo("Which color?");
            assertThat(q.header()).isEqualTo("Color");
            assertThat(q.multiple()).isFalse();
            assertThat(q.options()).extracting(Question.Option::label).containsExactly("Red", "Blue");
            assertThat(q.options()).extracting(Question.Option::description).containsExactly("warm", "cool");
        });
        Question two = asked.get(1);
        assertThat(two.questions()).hasSize(2);
        assertThat(two.questions().get(1).multiple()).isTrue();

        Event.QuestionReplied replied = of(events, Event.QuestionReplied.class).get(0);
        assertThat(replied.requestId()).isEqualTo(one.id());
        assertThat(replied.answers()).containsExactly(List.of("Red"));
        assertThat(of(events, Event.QuestionRejected.class)).singleElement()
                .satisfies(r -> assertThat(r.requestId()).isEqualTo(two.id()));

        assertThat(Question.list(RecordedSamples.json(version, "question-list.json"))).singleElement()
                .satisfies(q -> assertThat(q).isEqualTo(one));
        assertThat(Question.list(RecordedSamples.json(version, "question-list-two.json"))).singleElement()
                .satisfies(q -> assertThat(q).isEqualTo(two));
    }

    @ParameterizedTest
    @FieldSource("VERSIONS")
    void todosPermissionsErrorsFilesAndStatuses(String version) throws Exception {
        List<Event> events = typed(version);
        List<Todo> todos = of(events, Event.TodoUpdated.class).get(0).todos();
        assertThat(todos).extracting(Todo::content).containsExactly("first step", "second step", "third step");
        assertThat(todos).extracting(Todo::status).containsExactly(Todo.COMPLETED, Todo.IN_PROGRESS, Todo.PENDING);
        assertThat(Todo.progress(todos)).isEqualTo("1/3 done");
        assertThat(Todo.list(RecordedSamples.json(version, "todo-list.json"))).isEqualTo(todos);

        Permission p = of(events, Event.PermissionAsked.class).get(0).permission();
        assertThat(p.id()).startsWith("per_");
        assertThat(p.permission()).isEqualTo("bash");
        assertThat(p.patterns()).containsExactly("echo hi");
        assertThat(Permission.list(RecordedSamples.json(version, "permission-list.json"))).containsExactly(p);
        assertThat(of(events, Event.PermissionReplied.class).get(0).requestId()).isEqualTo(p.id());

        assertThat(of(events, Event.SessionError.class)).anySatisfy(e ->
                assertThat(e.error().line()).isEqualTo("APIError: Bad request from fake"));
        assertThat(of(events, Event.FileEdited.class).get(0).file()).endsWith("hello.txt");
        assertThat(of(events, Event.StatusChanged.class)).extracting(e -> e.status().type())
                .contains(SessionStatus.BUSY, SessionStatus.IDLE, SessionStatus.RETRY);
        assertThat(of(events, Event.StatusChanged.class)).filteredOn(e -> e.status().retrying()).first()
                .satisfies(e -> {
                    assertThat(e.status().attempt()).isPositive();
                    assertThat(e.status().message()).isEqualTo("Rate limited by fake");
                    assertThat(e.status().next()).isPositive();
                });
        SessionStatus retry = SessionStatus.map(RecordedSamples.json(version, "session-status-retry.json")).values().iterator().next();
        assertThat(retry.retrying()).isTrue();
        assertThat(of(events, Event.Heartbeat.class)).isNotEmpty();
    }

    @ParameterizedTest
    @FieldSource("VERSIONS")
    void messagesAndPartsOfTheWholeConversation(String version) throws Exception {
        List<SessionMessage> messages = SessionMessage.list(RecordedSamples.json(version, "messages.json"));
        assertThat(messages).hasSizeGreaterThan(8);
        List<Part> parts = messages.stream().flatMap(m -> m.parts().stream()).toList();
        assertThat(parts).filteredOn(Part.Tool.class::isInstance).map(Part.Tool.class::cast)
                .extracting(Part.Tool::tool).contains("question", "todowrite", "bash", "write");
        assertThat(parts).filteredOn(Part.Tool.class::isInstance).map(Part.Tool.class::cast)
                .filteredOn(t -> t.tool().equals("bash")).first()
                .satisfies(t -> assertThat(ToolInput.brief(t.input(), 80)).isEqualTo("echo hi"));
        assertThat(parts).anySatisfy(p -> assertThat(p).isInstanceOf(Part.Reasoning.class));
        assertThat(parts).anySatisfy(p -> assertThat(p).isInstanceOf(Part.Text.class));
        assertThat(parts).filteredOn(Part.Step.class::isInstance).map(Part.Step.class::cast)
                .anySatisfy(s -> assertThat(s.finish()).isTrue());
        MessageInfo assistant = messages.stream().map(SessionMessage::info).filter(MessageInfo::assistant)
                .filter(m -> m.tokens() != null && m.tokens().output() > 0).findFirst().orElseThrow();
        assertThat(assistant.parentId()).startsWith("msg_");
        assertThat(assistant.model()).isEqualTo(new ModelRef("fake", "fake-model"));
        assertThat(assistant.cost()).isPositive();
        assertThat(messages.get(0).info().user()).isTrue();
    }

    @ParameterizedTest
    @FieldSource("VERSIONS")
    void sessionsCarryTokensAndCostWhereTheReleaseReportsThem(String version) throws Exception {
        SessionInfo s = SessionInfo.from(RecordedSamples.json(version, "session.json"));
        assertThat(s.id()).startsWith("ses_");
        assertThat(s.title()).isNotBlank();
        if (version.equals("1.18.33")) {
            assertThat(s.tokens().input()).isPositive();
            assertThat(s.tokens().output()).isPositive();
            assertThat(s.cost()).isPositive();
            assertThat(s.agent()).isEqualTo("build");
        }
        // 1.2 and 1.14 report no running totals on the session (reference addendum): absent, not an error
        assertThat(RecordedSamples.json(version, "session-list.json")).isNotEmpty();
    }

    @ParameterizedTest
    @FieldSource("VERSIONS")
    void theGlobalEnvelopeUnwrapsToTheSameTypesAndSyncEventsAreDropped(String version) throws Exception {
        List<OpenCodeEvent> events = RecordedSamples.stream(version, "global-events.jsonl").stream()
                .map(EventStream::parse).filter(java.util.Objects::nonNull).toList();
        assertThat(events).extracting(OpenCodeEvent::type).contains("question.asked", "todo.updated").doesNotContain("sync");
        assertThat(events).filteredOn(e -> e.type().equals("question.asked")).first()
                .satisfies(e -> assertThat(e.typed()).isInstanceOf(Event.QuestionAsked.class));
    }

    @Test
    void unknownEventsAndMisshapenBodiesAreKeptAsOtherNeverAnError() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertThat(EventDecoder.decode("brand.new.thing", json.readTree("{\"sessionID\":\"ses_1\",\"x\":[1]}")))
                .isEqualTo(new Event.Other("brand.new.thing", "ses_1"));
        assertThat(EventDecoder.decode("question.asked", json.readTree("{\"questions\":\"nope\"}")))
                .isInstanceOf(Event.Other.class);
        assertThat(EventDecoder.decode("message.updated", json.readTree("{\"info\":7}"))).isInstanceOf(Event.Other.class);
        Event q = EventDecoder.decode("question.asked", json.readTree(
                "{\"id\":\"que_1\",\"sessionID\":\"ses_1\",\"questions\":[7,{\"question\":\"Q?\",\"options\":[{\"label\":3}],\"extra\":{}}],\"new\":true}"));
        assertThat(((Event.QuestionAsked) q).question().questions()).singleElement()
                .satisfies(i -> assertThat(i.options()).extracting(Question.Option::label).containsExactly("3"));
        assertThat(EventDecoder.decode("session.status", json.readTree("{\"sessionID\":\"ses_1\",\"status\":{\"type\":\"paused\"}}")))
                .isEqualTo(new Event.StatusChanged("ses_1", SessionStatus.BUSY_STATUS));
        assertThat(Part.from(json.readTree("{\"id\":\"prt_1\",\"type\":\"hologram\"}"))).isInstanceOf(Part.Other.class);
        JsonNode empty = json.createObjectNode();
        assertThat(EventDecoder.decode("todo.updated", empty)).isEqualTo(new Event.TodoUpdated(null, List.of()));
    }

    static List<Event> typed(String version) throws Exception {
        return RecordedSamples.events(version).stream().map(OpenCodeEvent::typed).toList();
    }

    static <T extends Event> List<T> of(List<Event> events, Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
