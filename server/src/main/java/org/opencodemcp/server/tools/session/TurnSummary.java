package org.opencodemcp.server.tools.session;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.opencodemcp.server.opencode.SessionMessage;
import org.opencodemcp.server.opencode.Tokens;

/**
 * What one turn produced, read back from the stored messages after it ended (the stored parts are
 * authoritative: streamed deltas can be lost or arrive out of order): the final assistant text, every tool call, errors, summed tokens and cost.
 */
record TurnSummary(String text, List<MessageView.ToolCall> tools, List<String> errors, Tokens tokens,
        Double cost, boolean found) {

    /**
     * @param messages      {@code GET /session/{id}/message} answer
     * @param userMessageId the turn's user message, or null to take the messages after the last user message
     */
    static TurnSummary of(List<SessionMessage> messages, String userMessageId, List<String> eventErrors) {
        List<MessageView> all = Conversation.of(messages).messages();
        String parent = userMessageId;
        if (parent == null) {
            for (MessageView m : all) {
                if ("user".equals(m.role())) {
                    parent = m.id();
                }
            }
        }
        String text = "";
        List<MessageView.ToolCall> tools = new ArrayList<>();
        Set<String> errors = new LinkedHashSet<>();
        Tokens tokens = null;
        Double cost = null;
        boolean found = false;
        for (MessageView m : all) {
            if (!"assistant".equals(m.role()) || parent == null || !parent.equals(m.parentId())) {
                continue;
            }
            found = true;
            if (!m.text().isEmpty()) {
                text = m.text(); // the final answer is the last assistant message with text
            }
            tools.addAll(m.tools());
            if (m.error() != null) {
                errors.add(m.error());
            }
            if (m.tokens() != null) {
                tokens = tokens == null ? m.tokens() : tokens.plus(m.tokens());
            }
            if (m.cost() != null) {
                cost = cost == null ? m.cost() : cost + m.cost();
            }
        }
        errors.addAll(eventErrors);
        return new TurnSummary(text, tools, List.copyOf(errors), tokens, cost, found);
    }
}
