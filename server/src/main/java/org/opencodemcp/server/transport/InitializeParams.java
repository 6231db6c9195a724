package org.opencodemcp.server.transport;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;

/**
 * Tells, from the JSON tree alone, that the SDK (2.1.0) will read an initialize request's params: it
 * maps them onto its {@code InitializeRequest} records, which ignore members they do not know and fill
 * in missing ones. The rule is stricter than the SDK: a value it might coerce (a number where text
 * goes) or the rarely sent {@code clientInfo.icons} is not "plain" here, and such a request is simply
 * left to the SDK to answer. Never the other way round: what passes here, the SDK reads.
 */
final class InitializeParams {
    private static final Set<String> CLIENT_INFO_TEXT = Set.of("name", "title", "version", "description", "websiteUrl");

    private InitializeParams() {}

    /** True when {@code params} is an object the SDK reads as an initialize request. */
    static boolean plain(JsonNode params) {
        if (params == null || !params.isObject()) {
            return false;
        }
        return textOrAbsent(params.get("protocolVersion")) && objectOrAbsent(params.get("_meta"))
                && capabilities(params.get("capabilities")) && clientInfo(params.get("clientInfo"));
    }

    private static boolean capabilities(JsonNode c) {
        if (absent(c)) {
            return true;
        }
        if (!c.isObject()) {
            return false;
        }
        JsonNode roots = c.get("roots");
        JsonNode elicitation = c.get("elicitation");
        JsonNode extensions = c.get("extensions");
        return objectOrAbsent(c.get("experimental")) && objectOrAbsent(c.get("sampling"))
                && objectOrAbsent(roots) && (absent(roots) || booleanOrAbsent(roots.get("listChanged")))
                && objectOrAbsent(elicitation)
                && (absent(elicitation) || objectOrAbsent(elicitation.get("form")) && objectOrAbsent(elicitation.get("url")))
                && objectOrAbsent(extensions) && (absent(extensions) || allObjectsOrNull(extensions));
    }

    private static boolean clientInfo(JsonNode info) {
        if (absent(info)) {
            return true;
        }
        if (!info.isObject() || !absent(info.get("icons"))) {
            return false;
        }
        for (var field : (Iterable<Map.Entry<String, JsonNode>>) info::fields) {
            if (CLIENT_INFO_TEXT.contains(field.getKey()) && !textOrAbsent(field.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static boolean allObjectsOrNull(JsonNode object) {
        for (JsonNode value : object) {
            if (!objectOrAbsent(value)) {
                return false;
            }
        }
        return true;
    }

    private static boolean absent(JsonNode n) {
        return n == null || n.isNull();
    }

    private static boolean textOrAbsent(JsonNode n) {
        return absent(n) || n.isTextual();
    }

    private static boolean booleanOrAbsent(JsonNode n) {
        return absent(n) || n.isBoolean();
    }

    private static boolean objectOrAbsent(JsonNode n) {
        return absent(n) || n.isObject();
    }
}
