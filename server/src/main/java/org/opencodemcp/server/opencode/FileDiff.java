package org.opencodemcp.server.opencode;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** One file a turn changed ({@code GET /session/{id}/diff}, a user message's {@code summary.diffs}); 1.2 sends no patch. */
public record FileDiff(String file, String status, int additions, int deletions, String patch) {

    public static FileDiff from(JsonNode d) {
        String patch = Wire.text(d, "patch");
        return new FileDiff(Wire.text(d, "file"), Wire.text(d, "status"), (int) Wire.number(d, "additions"),
                (int) Wire.number(d, "deletions"), patch == null ? "" : patch);
    }

    /** Null when {@code arr} is not an array (the field is absent), so callers can ask the server instead. */
    public static List<FileDiff> list(JsonNode arr) {
        return arr != null && arr.isArray() ? Wire.elements(arr, FileDiff::from) : null;
    }
}
