package org.opencodemcp.server.transport;

import com.fasterxml.jackson.databind.JsonNode;

/** JSON-RPC request ids as the SDK sees them, for both transports' call keys and stdio's early answer. */
final class JsonRpcIds {
    private JsonRpcIds() {}

    /** A JSON-RPC id as the SDK sees it: a string or a number (as a long); anything else is no id (null). */
    static Object of(JsonNode id) {
        if (id == null) {
            return null;
        }
        return id.isTextual() ? id.asText() : id.isIntegralNumber() ? (Object) id.longValue() : null;
    }
}
