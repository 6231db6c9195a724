package org.opencodemcp.server;

import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The SDK validates every tool result's {@code structuredContent} against the tool's output schema on
 * every call: it converts the content to a tree, writes and re-reads it, and runs the networknt
 * validator. {@code list_instances} serves the same cached result object until the registry changes,
 * so re-validating it is pure waste; at 1,000 instances it was half the server's time per call
 * (JFR, plans/performance.md). This remembers, per schema, the last content object that passed and
 * its answer, by identity: a cached result object is validated once; any other object is validated
 * as before. Results are immutable once built, so identity is a safe key.
 *
 * <p>Start-up: the networknt validator is made on first use (making it was ~20 % of the main
 * thread's work before {@code initialize} could be answered), and the SDK's build-time check of every
 * tool schema ({@link #validateSchema}) is answered "valid" at once: our tool schemas are constants,
 * checked against the meta-schema by {@code ToolSchemasTest} instead of on every start.
 */
final class MemoizingSchemaValidator implements JsonSchemaValidator {
    private final Supplier<JsonSchemaValidator> factory;
    private volatile JsonSchemaValidator delegate;
    /** schema (by identity: each tool keeps its own map) -> the last valid content and its answer */
    private final Map<Map<String, Object>, Passed> passed = new IdentityHashMap<>();

    private record Passed(Object content, ValidationResponse response) {}

    /** @param factory makes the real validator, once, on the first result validated */
    MemoizingSchemaValidator(Supplier<JsonSchemaValidator> factory) {
        this.factory = factory;
    }

    private JsonSchemaValidator delegate() {
        JsonSchemaValidator d = delegate;
        if (d == null) {
            synchronized (this) {
                d = delegate;
                if (d == null) {
                    d = factory.get();
                    delegate = d;
                }
            }
        }
        return d;
    }

    @Override
    public ValidationResponse validate(Map<String, Object> schema, Object structuredContent) {
        synchronized (passed) {
            Passed p = passed.get(schema);
            if (p != null && p.content() == structuredContent) {
                return p.response();
            }
        }
        ValidationResponse response = delegate().validate(schema, structuredContent);
        if (response.valid() && schema != null && structuredContent != null) {
            synchronized (passed) {
                passed.put(schema, new Passed(structuredContent, response));
            }
        }
        return response;
    }

    /** Called by the SDK's build for each tool schema: ours are constants checked by ToolSchemasTest. */
    @Override
    public ValidationResponse validateSchema(Map<String, Object> schema) {
        return ValidationResponse.asValid(null);
    }
}
