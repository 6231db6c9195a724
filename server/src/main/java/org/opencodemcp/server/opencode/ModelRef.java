package org.opencodemcp.server.opencode;

import com.fasterxml.jackson.databind.JsonNode;

/** A model as OpenCode addresses it: provider plus model id, written {@code provider/model} for people. */
public record ModelRef(String providerId, String modelId) {

    /**
     * A wire model object, or null when it is not one: {@code Session.model} uses {@code {id, providerID}},
     * prompts and agents {@code {providerID, modelID}}.
     */
    public static ModelRef from(JsonNode m) {
        if (m == null || !m.isObject()) {
            return null;
        }
        String provider = Wire.text(m, "providerID");
        String model = Wire.text(m, "id") != null ? Wire.text(m, "id") : Wire.text(m, "modelID");
        return provider != null && model != null ? new ModelRef(provider, model) : null;
    }

    /** Parses {@code provider/model}; the model part may itself contain slashes (e.g. {@code openrouter/a/b}). */
    public static ModelRef parse(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1) {
            return null;
        }
        return new ModelRef(text.substring(0, slash).trim(), text.substring(slash + 1).trim());
    }

    @Override
    public String toString() {
        return providerId + "/" + modelId;
    }
}
