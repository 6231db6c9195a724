package org.opencodemcp.server.opencode;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Decodes {@code GET /agent} and {@code GET /config/providers} as recorded from each OpenCode release. */
class CatalogDecodeTest {
    static final List<String> VERSIONS = RecordedSamples.VERSIONS;

    @ParameterizedTest
    @FieldSource("VERSIONS")
    void agentsAreTypedWithTheInternalOnesMarkedHidden(String version) throws Exception {
        List<Agent> agents = Agent.list(RecordedSamples.json(version, "agents.json"));
        assertThat(agents).extracting(Agent::name)
                .containsExactlyInAnyOrder("build", "plan", "general", "explore", "compaction", "summary", "title");
        assertThat(agents).filteredOn(Agent::hidden).extracting(Agent::name)
                .containsExactlyInAnyOrder("compaction", "summary", "title");
        assertThat(agents).filteredOn(Agent::takesPrompts).extracting(Agent::name).containsExactlyInAnyOrder("build", "plan");
        Agent build = agents.stream().filter(a -> a.name().equals("build")).findFirst().orElseThrow();
        assertThat(build.mode()).isEqualTo("primary");
        assertThat(build.description()).startsWith("The default agent");
        assertThat(build.model()).isNull();
        assertThat(agents.stream().filter(a -> a.name().equals("general")).findFirst().orElseThrow().mode())
                .isEqualTo(Agent.SUBAGENT);
    }

    @ParameterizedTest
    @FieldSource("VERSIONS")
    void providersKeepIdsSourcesAndModelsWithTheDefaultFirst(String version) throws Exception {
        ProviderCatalog catalog = ProviderCatalog.from(RecordedSamples.json(version, "providers.json"));
        assertThat(catalog.providers()).extracting(ProviderCatalog.Provider::id).contains("fake", "opencode");
        ProviderCatalog.Provider fake = catalog.providers().stream().filter(p -> p.id().equals("fake")).findFirst().orElseThrow();
        assertThat(fake.configured()).isTrue();
        assertThat(fake.name()).isEqualTo("Fake Local LLM");
        assertThat(catalog.models(fake)).containsExactly(new ModelRef("fake", "fake-model"));
        ProviderCatalog.Provider zen = catalog.providers().stream().filter(p -> p.id().equals("opencode")).findFirst().orElseThrow();
        assertThat(zen.configured()).isFalse();
        assertThat(catalog.defaults()).containsEntry("opencode", "big-pickle").containsEntry("fake", "fake-model");
        assertThat(catalog.models(zen).get(0)).isEqualTo(new ModelRef("opencode", "big-pickle"));
        assertThat(catalog.models(zen)).hasSize(zen.models().size());
        assertThat(catalog.offers(ModelRef.parse("fake/fake-model"))).isTrue();
        assertThat(catalog.offers(ModelRef.parse("fake/nope"))).isFalse();
        assertThat(catalog.offers(null)).isFalse();
        // the wire form carries API keys in each provider's options; the typed form has no room for them
        assertThat(catalog.toString()).doesNotContain("sk-fake").doesNotContain("apiKey");
    }

    @Test
    void anAgentsOwnModelAndOddShapesDecodeWithoutError() throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<Agent> agents = Agent.list(json.readTree("[{\"name\":\"review\",\"mode\":\"all\",\"model\":"
                + "{\"providerID\":\"fake\",\"modelID\":\"fake-model\"},\"hidden\":false},\"not an agent\",{\"mode\":7}]"));
        assertThat(agents).hasSize(2);
        assertThat(agents.get(0).model()).isEqualTo(new ModelRef("fake", "fake-model"));
        assertThat(agents.get(0).takesPrompts()).isTrue();
        assertThat(agents.get(1).name()).isNull();
        assertThat(Agent.list(json.readTree("{}"))).isEmpty();
        ProviderCatalog odd = ProviderCatalog.from(json.readTree("{\"providers\":[{\"id\":\"x\",\"models\":[1]},{\"name\":\"no id\"}],"
                + "\"default\":{\"x\":5}}"));
        assertThat(odd.providers()).singleElement().satisfies(p -> assertThat(p.models()).isEmpty());
        assertThat(odd.defaults()).isEmpty();
        assertThat(ProviderCatalog.from(null).providers()).isEmpty();
    }
}
