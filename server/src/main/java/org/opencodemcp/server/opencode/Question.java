package org.opencodemcp.server.opencode;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A pending question of the {@code question} tool ({@code question.asked} properties, {@code GET /question}
 * item): one or more questions, each with options; the reply is one list of labels (or free text) per question.
 */
public record Question(String id, String sessionId, List<Item> questions, String messageId, String callId) {

    public record Item(String question, String header, List<Option> options, boolean multiple) {
        static Item from(JsonNode q) {
            return new Item(Wire.text(q, "question"), Wire.text(q, "header"), Wire.objects(q, "options", Option::from),
                    Wire.flag(q, "multiple"));
        }
    }

    public record Option(String label, String description) {
        static Option from(JsonNode o) {
            return new Option(Wire.text(o, "label"), Wire.text(o, "description"));
        }
    }

    /** {@code GET /question}. */
    public static List<Question> list(JsonNode arr) {
        return Wire.elements(arr, Question::from);
    }

    public static Question from(JsonNode p) {
        JsonNode tool = Wire.object(p, "tool");
        return new Question(Wire.text(p, "id"), Wire.text(p, "sessionID"), Wire.objects(p, "questions", Item::from),
                Wire.text(tool, "messageID"), Wire.text(tool, "callID"));
    }
}
