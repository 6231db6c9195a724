package org.opencodemcp.server.opencode;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One stored message ({@code GET /session/{id}/message} item: {@code {info, parts}}).
 *
 * @param diffs the files a user message's turn changed ({@code info.summary.diffs}), null when not reported
 */
public record SessionMessage(MessageInfo info, List<Part> parts, List<FileDiff> diffs) {

    public static SessionMessage from(JsonNode m) {
        JsonNode info = m.path("info");
        return new SessionMessage(MessageInfo.from(info), Wire.elements(m.get("parts"), Part::from),
                FileDiff.list(info.path("summary").get("diffs")));
    }

    public static List<SessionMessage> list(JsonNode arr) {
        return Wire.elements(arr, SessionMessage::from);
    }
}
