package org.opencodemcp.server.opencode;

/** A model as OpenCode addresses it: provider plus model id, written {@code provider/model} for people. */
public record ModelRef(String providerId, String modelId) {

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
