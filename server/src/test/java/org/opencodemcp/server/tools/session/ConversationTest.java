package org.opencodemcp.server.tools.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opencodemcp.server.opencode.SessionMessage;

/** Renders recorded {@code GET /session/{id}/message} JSON (shapes from opencode 1.18.33). */
class ConversationTest {
    static List<SessionMessage> recorded() throws Exception {
        try (InputStream in = ConversationTest.class.getResourceAsStream("/session/tool-turn-messages.json")) {
            return SessionMessage.list(new ObjectMapper().readTree(in));
        }
    }

    @Test
    void rendersRolesIsoTimesTextToolsReasoningErrorsAndCost() throws Exception {
        String md = Conversation.of(recorded()).markdown();
        assertThat(md).contains("#### User · 2026-11-21T18:15:08Z")
                .contains("Write hello.txt please")
                .doesNotContain("Called the Read tool") // synthetic parts are hidden
                .contains("#### Assistant (build, fake/fake-model) · ")
                .contains("_Reasoning (39 chars: The user wants a file. I will write it.)_")
                .contains("- tool `write` completed: `/home/me/proj3/hello.txt`")
                .contains("- tool `bash` error: `rm -rf /nope` (error: permission rejected)")
                .contains("Done writing.")
                .contains("**Error:** APIError: Bad request from fake")
                .contains("_tokens in 11 / out 7, cost $0.000010_")
                .containsPattern("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ")
                .doesNotContain("step-start").doesNotContain("prt_");
    }

    @Test
    void structuredMessagesCarryTheSameFacts() throws Exception {
        List<Map<String, Object>> messages = Conversation.of(recorded()).structured();
        assertThat(messages).hasSize(5);
        assertThat(messages.get(0)).containsEntry("role", "user").containsEntry("text", "Write hello.txt please")
                .doesNotContainKey("tokens");
        assertThat(messages.get(1)).containsEntry("role", "assistant").containsEntry("finish", "tool-calls")
                .containsEntry("parentId", "msg_1ff51b8d10016mL26R12glm2iH").containsEntry("completed", true);
        assertThat(messages.get(4)).containsEntry("error", "APIError: Bad request from fake");
    }

    @Test
    void turnSummaryTakesTheLastTextAndEveryToolOfTheTurn() throws Exception {
        TurnSummary turn = TurnSummary.of(recorded(), "msg_1ff51b8d10016mL26R12glm2iH", List.of());
        assertThat(turn.found()).isTrue();
        assertThat(turn.text()).isEqualTo("Done writing.");
        assertThat(turn.tools()).extracting(MessageView.ToolCall::tool).containsExactly("write", "bash");
        assertThat(turn.tokens().input()).isEqualTo(23);
        assertThat(turn.tokens().output()).isEqualTo(15);
        assertThat(turn.cost()).isCloseTo(0.000025, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(turn.errors()).isEmpty();

        TurnSummary last = TurnSummary.of(recorded(), null, List.of("UnknownError: Model not found"));
        assertThat(last.text()).isEmpty();
        assertThat(last.errors()).containsExactly("APIError: Bad request from fake", "UnknownError: Model not found");
    }
}
