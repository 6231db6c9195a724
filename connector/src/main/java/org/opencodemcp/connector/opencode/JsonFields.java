package org.opencodemcp.connector.opencode;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/** Reads the top-level scalar fields of a small JSON object (nested values are skipped). */
public final class JsonFields {

    private static final JsonFactory JSON = new JsonFactory();

    private JsonFields() {}

    /** Top-level string, number and boolean fields; throws IOException if the text is not a JSON object. */
    public static Map<String, Object> read(String json) throws IOException {
        Map<String, Object> fields = new HashMap<>();
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                switch (t) {
                    case VALUE_STRING: fields.put(name, p.getText()); break;
                    case VALUE_NUMBER_INT: fields.put(name, p.getLongValue()); break;
                    case VALUE_NUMBER_FLOAT: fields.put(name, p.getDoubleValue()); break;
                    case VALUE_TRUE: fields.put(name, Boolean.TRUE); break;
                    case VALUE_FALSE: fields.put(name, Boolean.FALSE); break;
                    case START_OBJECT:
                    case START_ARRAY: p.skipChildren(); break;
                    default: break;
                }
            }
        }
        return fields;
    }
}
