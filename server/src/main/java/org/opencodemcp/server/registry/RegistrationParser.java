package org.opencodemcp.server.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * Turns the bytes of a registration file into a {@link Registration}, or explains in one sentence
 * why it cannot. Accepts the original bash script's six fields; ignores unknown fields.
 */
public final class RegistrationParser {
    /** Names are used in file names and shown to the assistant: no path separators, no "..". */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final ObjectMapper json;

    public RegistrationParser(ObjectMapper json) {
        this.json = json;
    }

    /** Thrown with a reason a person can act on. */
    public static final class InvalidRegistration extends Exception {
        private static final long serialVersionUID = 1L;

        public InvalidRegistration(String reason) {
            super(reason, null, false, false);
        }
    }

    public Registration parse(byte[] content) throws InvalidRegistration {
        JsonNode root;
        try {
            root = json.readTree(content);
        } catch (JsonProcessingException e) {
            throw new InvalidRegistration("malformed JSON (" + shortMessage(e) + ")");
        } catch (java.io.IOException e) {
            throw new InvalidRegistration("unreadable: " + e.getMessage());
        }
        if (root == null || root.isMissingNode()) {
            throw new InvalidRegistration("empty file");
        }
        if (!root.isObject()) {
            throw new InvalidRegistration("not a JSON object");
        }
        String name = requiredText(root, "name");
        if (!NAME.matcher(name).matches()) {
            throw new InvalidRegistration("name \"" + printable(name) + "\" must match [A-Za-z0-9._-]{1,64}"
                    + (name.contains("/") || name.contains("..") ? " (no path separators or \"..\")" : ""));
        }
        if (name.equals(".") || name.equals("..")) {
            throw new InvalidRegistration("name \"" + name + "\" is not allowed");
        }
        String hostname = requiredText(root, "hostname");
        int port = requiredPort(root, "port");
        int localPort = requiredPort(root, "localPort");
        String cwd = requiredText(root, "cwd");
        if (!cwd.startsWith("/") && !cwd.matches("^[A-Za-z]:[\\\\/].*")) {
            throw new InvalidRegistration("cwd \"" + printable(cwd) + "\" is not an absolute path");
        }
        Instant connectedAt = requiredInstant(root, "connectedAt");
        Instant heartbeatAt = optionalInstant(root, "heartbeatAt");
        String instanceId = optionalText(root, "instanceId");
        String version = optionalText(root, "opencodeVersion");
        Long pid = null;
        JsonNode pidNode = root.get("pid");
        if (pidNode != null && !pidNode.isNull()) {
            if (!pidNode.canConvertToLong() || !pidNode.isIntegralNumber()) {
                throw new InvalidRegistration("pid must be an integer");
            }
            pid = pidNode.asLong();
        }
        String connector = null;
        JsonNode c = root.get("connector");
        if (c != null && c.isObject()) {
            connector = (c.path("name").asText("?") + " " + c.path("version").asText("")).trim();
        }
        return new Registration(name, hostname, port, localPort, cwd, connectedAt, heartbeatAt, instanceId,
                version, pid, connector);
    }

    private static String requiredText(JsonNode root, String field) throws InvalidRegistration {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            throw new InvalidRegistration("missing field \"" + field + "\"");
        }
        if (!v.isTextual()) {
            throw new InvalidRegistration("field \"" + field + "\" must be a string, found " + kind(v));
        }
        if (v.asText().isBlank()) {
            throw new InvalidRegistration("field \"" + field + "\" is empty");
        }
        if (v.asText().indexOf('\0') >= 0) {
            throw new InvalidRegistration("field \"" + field + "\" contains a NUL character");
        }
        return v.asText();
    }

    private static String optionalText(JsonNode root, String field) throws InvalidRegistration {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new InvalidRegistration("field \"" + field + "\" must be a string, found " + kind(v));
        }
        return v.asText();
    }

    private static int requiredPort(JsonNode root, String field) throws InvalidRegistration {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            throw new InvalidRegistration("missing field \"" + field + "\"");
        }
        if (!v.isIntegralNumber()) {
            throw new InvalidRegistration("field \"" + field + "\" must be an integer, found " + kind(v));
        }
        if (!v.canConvertToInt() || v.asInt() < 1 || v.asInt() > 65535) {
            throw new InvalidRegistration("field \"" + field + "\" is out of range 1-65535: " + clip(v.asText()));
        }
        return v.asInt();
    }

    private static Instant requiredInstant(JsonNode root, String field) throws InvalidRegistration {
        Instant i = optionalInstant(root, field);
        if (i == null) {
            throw new InvalidRegistration("missing field \"" + field + "\"");
        }
        return i;
    }

    private static Instant optionalInstant(JsonNode root, String field) throws InvalidRegistration {
        String text = optionalText(root, field);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidRegistration("field \"" + field + "\" is not an ISO-8601 UTC time: \"" + printable(text) + "\"");
        }
    }

    private static String kind(JsonNode v) {
        return v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String shortMessage(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        if (m == null) {
            return "parse error";
        }
        m = m.replaceAll("\\s+", " ");
        return clip(m) + (e.getLocation() != null ? " at line " + e.getLocation().getLineNr() : "");
    }

    private static String clip(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    /** Keeps reasons readable and log-safe (see {@link SafeText}). */
    static String printable(String s) {
        return clip(SafeText.log(s));
    }
}
