package org.opencodemcp.connector.registry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** Writes and reads the registration file format of plans/registration.md with jackson-core only. */
public final class RegistrationJson {

    private static final JsonFactory JSON = new JsonFactory();

    private RegistrationJson() {}

    public static String write(Registration r) {
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
        return out.toString() + "\n";
    }

    /** Reads a file written by this connector or by the bash original; unknown fields are ignored. */
    public static Registration read(String json) throws IOException {
        String name = null, hostname = null, cwd = null, instanceId = null, version = null, cName = null, cVersion = null;
        Integer port = null, localPort = null;
        Long pid = null;
        Instant connectedAt = null, heartbeatAt = null;
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "name": name = text(p, t, field); break;
                    case "hostname": hostname = text(p, t, field); break;
                    case "cwd": cwd = text(p, t, field); break;
                    case "port": port = integer(p, t, field); break;
                    case "localPort": localPort = integer(p, t, field); break;
                    case "connectedAt": connectedAt = instant(text(p, t, field), field); break;
                    case "heartbeatAt": heartbeatAt = instant(text(p, t, field), field); break;
                    case "instanceId": instanceId = text(p, t, field); break;
                    case "opencodeVersion": version = text(p, t, field); break;
                    case "pid": pid = t == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : null; break;
                    case "connector":
                        if (t == JsonToken.START_OBJECT) {
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String f = p.currentName();
                                JsonToken vt = p.nextToken();
                                if (f.equals("name") && vt == JsonToken.VALUE_STRING) {
                                    cName = p.getText();
                                } else if (f.equals("version") && vt == JsonToken.VALUE_STRING) {
                                    cVersion = p.getText();
                                } else {
                                    p.skipChildren();
                                }
                            }
                        } else {
                            p.skipChildren();
                        }
                        break;
                    default: p.skipChildren(); break;
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException("not valid JSON: " + e.getOriginalMessage(), e);
        }
        for (Object[] required : new Object[][] {{"name", name}, {"hostname", hostname}, {"port", port},
                {"localPort", localPort}, {"cwd", cwd}, {"connectedAt", connectedAt}}) {
            if (required[1] == null) {
                throw new IOException("missing required field '" + required[0] + "'");
            }
        }
        try {
            return new Registration(name, hostname, port, localPort, cwd, connectedAt, heartbeatAt, instanceId, version,
                    pid, cName, cVersion);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static String iso(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String text(JsonParser p, JsonToken t, String field) throws IOException {
        if (t != JsonToken.VALUE_STRING) {
            throw new IOException("field '" + field + "' must be a string");
        }
        return p.getText();
    }

    private static Integer integer(JsonParser p, JsonToken t, String field) throws IOException {
        if (t != JsonToken.VALUE_NUMBER_INT) {
            throw new IOException("field '" + field + "' must be an integer");
        }
        long v = p.getLongValue();
        if (v < 1 || v > 65535) {
            throw new IOException("field '" + field + "' must be 1-65535, got " + v);
        }
        return (int) v;
    }

    private static Instant instant(String text, String field) throws IOException {
        try {
            return java.time.OffsetDateTime.parse(text).toInstant(); // also takes +00:00, not only Z
        } catch (DateTimeParseException e) {
            throw new IOException("field '" + field + "' must be an ISO-8601 UTC time like 2026-03-14T10:30:00Z", e);
        }
    }
}
