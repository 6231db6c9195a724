package org.opencodemcp.server.tools.session;

import io.modelcontextprotocol.spec.McpSchema;
import org.opencodemcp.server.tools.InstanceLookup;
import org.opencodemcp.server.tools.Schemas;

/** Schema fragments and the tool builder shared by the session tools. */
final class SessionSchemas {
    private SessionSchemas() {}

    static final String SESSION_SUMMARY = """
            {"type":"object","required":["id","shortId"],"properties":{
             "id":{"type":"string"},"shortId":{"type":"string"},"title":{"type":"string"},
             "directory":{"type":"string"},"parentId":{"type":"string"},
             "created":{"type":"string"},"updated":{"type":"string"},
             "agent":{"type":"string"},"model":{"type":"string"},
             "status":{"type":"string","enum":["idle","busy","retry"]},
             "retry":{"type":"object"},
             "tokens":%s,"cost":{"type":"number"},
             "todoProgress":{"type":"string","description":"e.g. 3/7 done"},
             "waitingOn":{"type":"array","items":%s},
             "questions":{"type":"array","items":%s},
             "todos":{"type":"array","items":%s}}}
            """;

    static final String PERMISSION = """
            {"type":"object","required":["id"],"properties":{
             "id":{"type":"string"},"sessionId":{"type":"string"},"permission":{"type":"string"},
             "patterns":{"type":"array","items":{"type":"string"}},
             "always":{"type":"array","items":{"type":"string"}},
             "callId":{"type":"string"},"messageId":{"type":"string"}}}
            """;

    static final String TOOL_CALL = """
            {"type":"object","required":["tool","status"],"properties":{
             "tool":{"type":"string"},"status":{"type":"string"},"input":{"type":"string"},
             "title":{"type":"string"},"error":{"type":"string"}}}
            """;

    static final String TOKENS = """
            {"type":"object","properties":{"input":{"type":"integer"},"output":{"type":"integer"},
             "reasoning":{"type":"integer"},"cacheRead":{"type":"integer"},"cacheWrite":{"type":"integer"}}}
            """;

    static final String MESSAGE = """
            {"type":"object","required":["id","role"],"properties":{
             "id":{"type":"string"},"role":{"type":"string"},"parentId":{"type":"string"},"time":{"type":"string"},
             "agent":{"type":"string"},"model":{"type":"string"},"text":{"type":"string"},"reasoning":{"type":"string"},
             "tools":{"type":"array","items":%s},"error":{"type":"string"},"finish":{"type":"string"},
             "tokens":%s,"cost":{"type":"number"},"completed":{"type":"boolean"}}}
            """.formatted(TOOL_CALL, TOKENS);

    static final String QUESTION = """
            {"type":"object","required":["id","questions"],"properties":{
             "id":{"type":"string"},"sessionId":{"type":"string"},
             "questions":{"type":"array","items":{"type":"object","properties":{
              "question":{"type":"string"},"header":{"type":"string"},"multiple":{"type":"boolean"},
              "options":{"type":"array","items":{"type":"object","properties":{
               "label":{"type":"string"},"description":{"type":"string"}}}}}}},
             "callId":{"type":"string"},"messageId":{"type":"string"}}}
            """;

    static final String TODO = """
            {"type":"object","properties":{"content":{"type":"string"},"status":{"type":"string"},"priority":{"type":"string"}}}
            """;

    static String sessionSummary() {
        return SESSION_SUMMARY.formatted(TOKENS, PERMISSION, QUESTION, TODO);
    }

    /** An input schema with the instance property plus {@code moreProperties} (JSON members, may be empty). */
    static String input(String moreProperties, String... required) {
        StringBuilder req = new StringBuilder("\"instance\"");
        for (String r : required) {
            req.append(",\"").append(r).append('"');
        }
        return "{\"type\":\"object\",\"properties\":{" + InstanceLookup.INSTANCE_PROPERTY
                + (moreProperties.isEmpty() ? "" : "," + moreProperties) + "},\"required\":[" + req + "]}";
    }

    static McpSchema.Tool.Builder tool(String name, String title, String description, String input, String output) {
        return McpSchema.Tool.builder(name, Schemas.parse(input)).title(title).description(description)
                .outputSchema(Schemas.parse(output));
    }

    static McpSchema.ToolAnnotations readOnly() {
        return new McpSchema.ToolAnnotations(null, true, false, true, false, false);
    }

    static McpSchema.ToolAnnotations acting(boolean destructive) {
        return new McpSchema.ToolAnnotations(null, false, destructive, false, false, false);
    }
}
