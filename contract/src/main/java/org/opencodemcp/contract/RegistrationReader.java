package org.opencodemcp.contract;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Turns the bytes of a registration file into a {@link Registration}, or explains in one sentence why
 * it cannot. Accepts the original bash script's six fields; ignores unknown fields; a field of the
 * wrong type is an error, also for optional fields (a {@code pid} that is not an integer makes the
 * file invalid rather than being dropped: a writer that got one field wrong may have got others wrong).
 */
public final class RegistrationReader {
    private static final JsonFactory JSON = new JsonFactory();

    private RegistrationReader() {}

    public static Registration read(byte[] content) throws InvalidRegistration {
        if (content.length > RegistryFiles.MAX_REGISTRATION_BYTES) {
            throw new InvalidRegistration("is " + content.length + " bytes, over the "
                    + RegistryFiles.MAX_REGISTRATION_BYTES + "-byte limit");
        }
        Fields f = new Fields();
        try (JsonParser p = JSON.createParser(content)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new InvalidRegistration("empty file");
            }
            if (first != JsonToken.START_OBJECT) {
                p.skipChildren(); // so that malformed JSON is reported as such, not as "not an object"
                throw new InvalidRegistration("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                f.read(p, field);
            }
        } catch (InvalidRegistration e) {
            throw e;
        } catch (JsonProcessingException e) {
            throw new InvalidRegistration("malformed JSON (" + shortMessage(e) + ")");
        } catch (IOException e) {
            throw new InvalidRegistration("unreadable: " + e.getMessage());
        }
        for (String[] required : new String[][] {{"name", f.name}, {"hostname", f.hostname}, {"cwd", f.cwd}}) {
            if (required[1] == null) {
                throw new InvalidRegistration("missing field \"" + required[0] + "\"");
            }
        }
        if (f.port == null || f.localPort == null || f.connectedAt == null) {
            throw new InvalidRegistration("missing field \"" + (f.port == null ? "port" : f.localPort == null ? "localPort"
                    : "connectedAt") + "\"");
        }
        try {
            return new Registration(f.name, f.hostname, f.port, f.localPort, f.cwd, f.connectedAt, f.heartbeatAt,
                    f.instanceId, f.opencodeVersion, f.pid, f.connectorName, f.connectorVersion);
        } catch (IllegalArgumentException e) {
            throw new InvalidRegistration(e.getMessage());
        }
    }

    /** The fields seen so far; a repeated field keeps its last value (as a JSON tree would). */
    private static final class Fields {
        String name, hostname, cwd, instanceId, opencodeVersion, connectorName, connectorVersion;
        Integer port, localPort;
        Long pid;
        Instant connectedAt, heartbeatAt;

        void read(JsonParser p, String field) throws IOException {
            switch (field) {
                case "name" -> name = text(p, field);
                case "hostname" -> hostname = text(p, field);
                case "cwd" -> cwd = text(p, field);
                case "port" -> port = port(p, field);
                case "localPort" -> localPort = port(p, field);
                case "connectedAt" -> connectedAt = instant(p, field);
                case "heartbeatAt" -> heartbeatAt = instant(p, field);
                case "instanceId" -> instanceId = text(p, field);
                case "opencodeVersion" -> opencodeVersion = text(p, field);
                case "pid" -> pid = pid(p);
                case "connector" -> connector(p);
                default -> p.skipChildren();
            }
        }

        /** {@code {"name": ..., "version": ...}}; anything else there is ignored (informational only). */
        private void connector(JsonParser p) throws IOException {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                p.skipChildren();
                return;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken t = p.nextToken();
                if (f.equals("name") && t == JsonToken.VALUE_STRING) {
                    connectorName = p.getText();
                } else if (f.equals("version") && t == JsonToken.VALUE_STRING) {
                    connectorVersion = p.getText();
                } else {
                    p.skipChildren();
                }
            }
        }
    }

    /** A string, or null for JSON null (an optional field left out). */
    private static String text(JsonParser p, String field) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.VALUE_STRING) {
            throw new InvalidRegistration("field \"" + field + "\" must be a string, found " + kind(t));
        }
        return p.getText();
    }

    private static Integer port(JsonParser p, String field) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.VALUE_NUMBER_INT) {
            throw new InvalidRegistration("field \"" + field + "\" must be an integer, found " + kind(t));
        }
        if (p.getNumberType() != JsonParser.NumberType.INT || p.getIntValue() < 1 || p.getIntValue() > 65535) {
            throw new InvalidRegistration("field \"" + field + "\" is out of range 1-65535: " + InstanceName.clip(p.getText()));
        }
        return p.getIntValue();
    }

    private static Long pid(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new InvalidRegistration("field \"pid\" must be an integer, found " + (t == JsonToken.VALUE_NUMBER_INT
                    ? "a number too large" : kind(t)));
        }
        return p.getLongValue();
    }

    private static Instant instant(JsonParser p, String field) throws IOException {
        String text = text(p, field);
        if (text == null) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(text).toInstant(); // Z or +00:00
        } catch (DateTimeParseException e) {
            throw new InvalidRegistration("field \"" + field + "\" is not an ISO-8601 UTC time like 2026-03-14T10:30:00Z: \""
                    + InstanceName.clip(SafeText.log(text)) + "\"");
        }
    }

    private static String kind(JsonToken t) {
        return switch (t) {
            case VALUE_STRING -> "string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
            case VALUE_TRUE, VALUE_FALSE -> "boolean";
            case START_ARRAY -> "array";
            case START_OBJECT -> "object";
            default -> t.name().toLowerCase(Locale.ROOT);
        };
    }

    private static String shortMessage(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        if (m == null) {
            return "parse error";
        }
        m = InstanceName.clip(SafeText.log(m.replaceAll("\\s+", " ")));
        return m + (e.getLocation() != null ? " at line " + e.getLocation().getLineNr() : "");
    }
}
