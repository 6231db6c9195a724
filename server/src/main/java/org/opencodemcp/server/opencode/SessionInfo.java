package org.opencodemcp.server.opencode;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The fields of an OpenCode {@code Session} the tools use. Times are epoch milliseconds (0 = unknown).
 *
 * @param model the session's sticky model, or null when the server did not report one
 * @param tokens running totals, null where the release reports none (1.2, 1.14)
 * @param cost   running total in USD, null where not reported
 */
public record SessionInfo(String id, String title, String directory, String parentId, long created, long updated,
        String agent, ModelRef model, Tokens tokens, Double cost) {

    public SessionInfo(String id, String title, String directory, String parentId, long created, long updated,
            String agent, ModelRef model) {
        this(id, title, directory, parentId, created, updated, agent, model, null, null);
    }

    public static SessionInfo from(JsonNode s) {
        ModelRef model = ModelRef.from(s.get("model"));
        return new SessionInfo(s.path("id").asText(), text(s, "title"), text(s, "directory"), text(s, "parentID"),
                s.path("time").path("created").asLong(0), s.path("time").path("updated").asLong(0),
                text(s, "agent"), model, Tokens.from(s.get("tokens")), Wire.decimal(s, "cost"));
    }

    public boolean isRoot() {
        return parentId == null;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
