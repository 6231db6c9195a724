package org.opencodemcp.server.tools.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.opencodemcp.server.opencode.SessionMessage;

/** A session's messages rendered for a reader, in order, as Markdown and as structured content. */
final class Conversation {
    private final List<MessageView> messages;

    private Conversation(List<MessageView> messages) {
        this.messages = messages;
    }

    /** @param messages {@code GET /session/{id}/message} answer: {@code [{info, parts}]}, oldest first */
    static Conversation of(List<SessionMessage> messages) {
        List<MessageView> out = new ArrayList<>();
        messages.forEach(m -> out.add(MessageView.of(m)));
        return new Conversation(out);
    }

    List<MessageView> messages() {
        return messages;
    }

    List<Map<String, Object>> structured() {
        return messages.stream().map(MessageView::structured).toList();
    }

    String markdown() {
        if (messages.isEmpty()) {
            return "_No messages yet._";
        }
        StringBuilder md = new StringBuilder();
        for (MessageView m : messages) {
            if (md.length() > 0) {
                md.append("\n\n");
            }
            md.append(render(m));
        }
        return md.toString();
    }

    static String render(MessageView m) {
        StringBuilder md = new StringBuilder("#### ").append(capitalize(m.role()));
        if ("assistant".equals(m.role())) {
            List<String> who = new ArrayList<>();
            if (m.agent() != null) {
                who.add(m.agent());
            }
            if (m.model() != null) {
                who.add(m.model());
            }
            if (!who.isEmpty()) {
                md.append(" (").append(String.join(", ", who)).append(')');
            }
        }
        md.append(" · ").append(m.time() == null ? "time unknown" : m.time());
        if (!m.completed()) {
            md.append(" · _in progress_");
        }
        md.append('\n');
        if (m.reasoning() != null) {
            md.append("\n_Reasoning (").append(m.reasoning().replace("_", "\\_")).append(")_\n");
        }
        if (!m.text().isEmpty()) {
            md.append('\n').append(m.text()).append('\n');
        }
        if (!m.tools().isEmpty()) {
            md.append('\n');
            m.tools().forEach(t -> md.append(MessageView.toolLine(t)).append('\n'));
        }
        if (m.error() != null) {
            md.append("\n**Error:** ").append(m.error()).append('\n');
        }
        if (m.tokens() != null && (m.tokens().input() + m.tokens().output() > 0 || m.cost() != null && m.cost() > 0)) {
            md.append("\n_tokens ").append(TokenView.line(m.tokens()));
            if (m.cost() != null) {
                md.append(", cost $").append(String.format(Locale.ROOT, "%.6f", m.cost()));
            }
            md.append("_\n");
        }
        return md.toString().stripTrailing();
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
