package org.opencodemcp.server;

import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The SDK validates every tool result's {@code structuredContent} against the tool's output schema on
 * every call: it converts the content to a tree, writes and re-reads it, and runs the networknt
 * validator. {@code list_instances} serves the same cached result object until the registry changes,
 * so re-validating it is pure waste; at 1,000 instances it was half the server's time per call
 * (JFR, plans/performance.md). This remembers, per schema, the last content object that passed and
 * its answer, by identity: a cached result object is validated once; any other object is validated
 * as before. Results are immutable once built, so identity is a safe key.
 */
final class MemoizingSchemaValidator implements JsonSchemaValidator {
    private final JsonSchemaValidator delegate;
    /** schema (by identity: each tool keeps its own map) -> the last valid content and its answer */
    private final Map<Map<String, Object>, Passed> passed = new IdentityHashMap<>();

    private record Passed(Object content, ValidationResponse response) {}

    MemoizingSchemaValidator(JsonSchemaValidator delegate) {
        this.delegate = delegate;
    }

    @Override
    public ValidationResponse validate(Map<String, Object> schema, Object structuredContent) {
        synchronized (passed) {
            Passed p = passed.get(schema);
            if (p != null && p.content() == structuredContent) {
                return p.response();
            }
        }
        ValidationResponse response = delegate.validate(schema, structuredContent);
        if (response.valid() && schema != null && structuredContent != null) {
            synchronized (passed) {
                passed.put(schema, new Passed(structuredContent, response));
            }
        }
        return response;
    }

    @Override
    public ValidationResponse validateSchema(Map<String, Object> schema) {
        return delegate.validateSchema(schema);
    }
}
