package org.opencodemcp.testkit;

import com.fasterxml.jackson.databind.JsonNode;

/** Read-only view of one {@code /v1/chat/completions} body: the bits the fake decides on. */
record ChatRequest(JsonNode body) {

    /**
     * opencode's main turn sends its tools; its title-generation request (and an occasional empty
     * request) sends none, so "has tools" tells the two apart.
     */
    boolean hasTools() {
        return body.hasNonNull("tools");
    }

    /** OpenAI default is non-streaming, so an absent {@code stream} means a plain chat.completion. */
    boolean streaming() {
        return body.path("stream").asBoolean(false);
    }

    String model() {
        return body.path("model").asText("fake-model");
    }

    /** Text of the last message with role user; empty if there is none. */
    String lastUserText() {
        JsonNode messages = body.path("messages");
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode message = messages.get(i);
            if ("user".equals(message.path("role").asText())) {
                return text(message.path("content"));
            }
        }
        return "";
    }

    /**
     * How many tool rounds opencode already ran for the current user message: the assistant messages
     * carrying {@code tool_calls} after the last user message. Round n of a scenario answers with the
     * n-th {@code after} of a chain of tool calls.
     */
    int toolRoundsSinceLastUser() {
        JsonNode messages = body.path("messages");
        int rounds = 0;
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode message = messages.get(i);
            String role = message.path("role").asText();
            if ("user".equals(role)) {
                break;
            }
            if ("assistant".equals(role) && message.path("tool_calls").size() > 0) {
                rounds++;
            }
        }
        return rounds;
    }

    /** Approximate size of the prompt, for a plausible usage block. */
    int promptChars() {
        return body.path("messages").toString().length();
    }

    /** Content is a plain string or an array of parts; all text parts count. */
    private static String text(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            if (part.isTextual()) {
                text.append(part.asText()).append('\n');
            } else if (part.has("text")) {
                text.append(part.path("text").asText()).append('\n');
            }
        }
        return text.toString();
    }
}
