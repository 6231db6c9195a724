package org.opencodemcp.connector.opencode;

import java.io.IOException;
import java.util.Map;

/** What {@code GET /global/health} said: {@code {"healthy":true,"version":"1.18.33"}}. */
public record Health(boolean healthy, String version) {

    /** Parses a reply; anything but a 2xx JSON object with {@code healthy:true} is "not healthy" with a reason. */
    public static Health parse(HttpReply reply) throws IOException {
        if (reply.status() == 401) {
            throw new IOException("opencode answered 401: it demands a password this request did not have (a "
                    + "registration's own password is in <name>.auth beside it; for an opencode started by hand, set "
                    + "OPENCODE_SERVER_PASSWORD and OPENCODE_SERVER_USERNAME to its values)");
        }
        if (!reply.ok()) {
            throw new IOException("GET /global/health answered HTTP " + reply.status());
        }
        Map<String, Object> f;
        try {
            f = JsonFields.read(reply.body());
        } catch (IOException e) {
            throw new IOException("GET /global/health did not answer JSON: not an OpenCode API", e);
        }
        Object version = f.get("version");
        return new Health(Boolean.TRUE.equals(f.get("healthy")), version == null ? null : version.toString());
    }
}
