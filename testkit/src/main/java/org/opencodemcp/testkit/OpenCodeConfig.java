package org.opencodemcp.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The inline opencode config ({@code OPENCODE_CONFIG_CONTENT}) that points opencode at a {@link FakeLlm}
 * as provider {@code fake}, model {@code fake/fake-model}.
 */
public final class OpenCodeConfig {
    public static final String PROVIDER_ID = "fake";
    public static final String MODEL_ID = "fake-model";
    /** The model as opencode names it in config and in {@code --model}. */
    public static final String MODEL = PROVIDER_ID + "/" + MODEL_ID;

    private static final ObjectMapper JSON = new ObjectMapper();

    private OpenCodeConfig() {}

    public static String json(FakeLlm llm) {
        return json(llm, null);
    }

    /**
     * @param permissionJsonOrNull opencode's {@code permission} member, e.g. {@code {"bash":"ask","edit":"ask"}}
     *     to make those tools raise permission requests; null leaves opencode's defaults
     */
    public static String json(FakeLlm llm, String permissionJsonOrNull) {
        ObjectNode root = JSON.createObjectNode();
        root.put("$schema", "https://opencode.ai/config.json");
        root.put("autoupdate", false);
        root.put("share", "disabled");
        root.put("model", MODEL);
        // small_model too, so title generation goes to the fake instead of a built-in (online) model
        root.put("small_model", MODEL);

        ObjectNode provider = root.putObject("provider").putObject(PROVIDER_ID);
        provider.put("npm", "@ai-sdk/openai-compatible"); // bundled in the binary: no download
        provider.put("name", "Fake Local LLM");
        provider.putObject("options").put("baseURL", llm.baseUrl()).put("apiKey", "sk-fake");
        ObjectNode model = provider.putObject("models").putObject(MODEL_ID);
        model.put("name", "Fake Model");
        model.putObject("limit").put("context", 32000).put("output", 4096);
        // non-zero cost so tests can see cost being accounted
        model.putObject("cost").put("input", 1).put("output", 2);

        if (permissionJsonOrNull != null && !permissionJsonOrNull.isBlank()) {
            root.set("permission", parse(permissionJsonOrNull));
        }
        return root.toString();
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("permission is not valid JSON: " + json, e);
        }
    }
}
