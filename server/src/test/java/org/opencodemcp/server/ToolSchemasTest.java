package org.opencodemcp.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.json.schema.jackson2.DefaultJsonSchemaValidator;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opencodemcp.server.config.Settings;
import org.opencodemcp.server.registry.InstanceRegistry;
import org.opencodemcp.server.tools.McpTool;
import org.opencodemcp.server.tools.ToolSet;

/**
 * Every tool's input and output schema passes the SDK's own meta-check. The server answers that check
 * "valid" at start-up without running it (MemoizingSchemaValidator: it cost start-up time), so this
 * is where a broken schema is caught.
 */
class ToolSchemasTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(30)
    void everyToolSchemaIsAValidJsonSchema() {
        ObjectMapper json = new ObjectMapper();
        Settings settings = new Settings(dir, Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofMinutes(10),
                Duration.ofSeconds(3), Duration.ofSeconds(10), null);
        InstanceRegistry registry = OpenCodeMcpServer.newRegistry(settings, json);
        try {
            // every tool of every profile, the jobs tools included (an in-memory ledger that is never written)
            List<McpTool> tools = ToolSet.of(org.opencodemcp.server.tools.ToolProfile.ALL, registry,
                    org.opencodemcp.server.jobs.JobLedger.start(registry, org.opencodemcp.server.config.JobSettings.inMemory(),
                            java.time.Clock.systemUTC(), message -> { }));
            assertThat(tools).isNotEmpty();
            JsonSchemaValidator validator = new DefaultJsonSchemaValidator(json);
            for (McpTool tool : tools) {
                McpSchema.Tool t = tool.definition();
                Map<String, Object> input = json.convertValue(t.inputSchema(), new TypeReference<Map<String, Object>>() { });
                var in = validator.validateSchema(input);
                assertThat(in.valid()).as(t.name() + " input schema: " + in.errorMessage()).isTrue();
                if (t.outputSchema() != null) {
                    var out = validator.validateSchema(t.outputSchema());
                    assertThat(out.valid()).as(t.name() + " output schema: " + out.errorMessage()).isTrue();
                }
            }
            // and the check is real: a broken schema fails it
            assertThat(validator.validateSchema(Map.of("type", 42)).valid()).isFalse();
        } finally {
            registry.close();
        }
    }

    @Test
    @Timeout(10)
    void startUpSkipsTheMetaCheckAndMakesTheValidatorOnFirstUse() {
        int[] made = {0};
        var memo = new MemoizingSchemaValidator(() -> {
            made[0]++;
            return new DefaultJsonSchemaValidator(new ObjectMapper());
        });
        assertThat(memo.validateSchema(Map.of("type", "object")).valid()).isTrue();
        assertThat(made[0]).isZero();
        Map<String, Object> schema = Map.of("type", "object", "required", List.of("a"));
        assertThat(memo.validate(schema, Map.of("a", 1)).valid()).isTrue();
        assertThat(memo.validate(schema, Map.of("b", 1)).valid()).isFalse();
        assertThat(made[0]).isEqualTo(1);
    }
}
