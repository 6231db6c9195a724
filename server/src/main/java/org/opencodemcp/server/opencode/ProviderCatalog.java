package org.opencodemcp.server.opencode;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /config/providers}: the providers an instance can use and the default model of each. Only ids,
 * names and sources are kept: the wire form also carries each provider's {@code options}, where OpenCode puts
 * API keys, and none of that may reach a tool result.
 *
 * @param defaults provider id to its default model id
 */
public record ProviderCatalog(List<Provider> providers, Map<String, String> defaults) {
    /** The {@code source} of a provider set up in the instance's own opencode.json. */
    public static final String CONFIG = "config";

    /**
     * @param source {@code config} (the instance's opencode.json), {@code custom}, {@code env}, {@code api} ...
     * @param models model ids in the server's order
     */
    public record Provider(String id, String name, String source, List<String> models) {
        public boolean configured() {
            return CONFIG.equals(source);
        }
    }

    public static ProviderCatalog from(JsonNode listing) {
        List<Provider> providers = Wire.objects(listing, "providers", p -> {
            List<String> models = new ArrayList<>();
            JsonNode m = Wire.object(p, "models");
            if (m != null) {
                m.fieldNames().forEachRemaining(models::add);
            }
            return new Provider(Wire.text(p, "id"), Wire.text(p, "name"), Wire.text(p, "source"), List.copyOf(models));
        }).stream().filter(p -> p.id() != null).toList();
        Map<String, String> defaults = new LinkedHashMap<>();
        JsonNode d = Wire.object(listing, "default");
        if (d != null) {
            d.fields().forEachRemaining(e -> {
                if (e.getValue().isTextual()) {
                    defaults.put(e.getKey(), e.getValue().asText());
                }
            });
        }
        return new ProviderCatalog(providers, Map.copyOf(defaults));
    }

    /** A provider's models as {@code provider/model}, its default first. */
    public List<ModelRef> models(Provider p) {
        List<ModelRef> out = new ArrayList<>();
        String preferred = defaults.get(p.id());
        if (preferred != null && p.models().contains(preferred)) {
            out.add(new ModelRef(p.id(), preferred));
        }
        for (String m : p.models()) {
            if (!m.equals(preferred)) {
                out.add(new ModelRef(p.id(), m));
            }
        }
        return out;
    }

    public boolean offers(ModelRef ref) {
        return ref != null && providers.stream().anyMatch(p -> p.id().equals(ref.providerId()) && p.models().contains(ref.modelId()));
    }
}
