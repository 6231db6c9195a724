package org.opencodemcp.contract;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Writes the registration file format of plans/registration.md: required fields always, optional ones when known. */
public final class RegistrationWriter {
    private static final JsonFactory JSON = new JsonFactory();

    private RegistrationWriter() {}

    public static String toJson(Registration r) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("name", r.name());
            g.writeStringField("hostname", r.hostname());
            g.writeNumberField("port", r.port());
            g.writeNumberField("localPort", r.localPort());
            g.writeStringField("cwd", r.cwd());
            g.writeStringField("connectedAt", iso(r.connectedAt()));
            if (r.heartbeatAt() != null) {
                g.writeStringField("heartbeatAt", iso(r.heartbeatAt()));
            }
            if (r.instanceId() != null) {
                g.writeStringField("instanceId", r.instanceId());
            }
            if (r.opencodeVersion() != null) {
                g.writeStringField("opencodeVersion", r.opencodeVersion());
            }
            if (r.pid() != null) {
                g.writeNumberField("pid", r.pid());
            }
            if (r.connectorName() != null) {
                g.writeObjectFieldStart("connector");
                g.writeStringField("name", r.connectorName());
                g.writeStringField("version", r.connectorVersion());
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("writing JSON to a string cannot fail", e);
        }
        return out + "\n";
    }

    public static byte[] toBytes(Registration r) {
        return toJson(r).getBytes(StandardCharsets.UTF_8);
    }

    /** Whole seconds, UTC, {@code Z}: what the original bash script writes and every reader takes. */
    private static String iso(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
