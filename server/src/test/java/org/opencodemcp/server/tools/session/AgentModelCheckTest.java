package org.opencodemcp.server.tools.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AgentModelCheckTest {

    @Test
    void theInstancesOwnModelsComeBeforeTheBuiltInCatalogue() {
        assertThat(AgentModelCheck.modelChoices(List.of("fake/fake-model", "fake/other"), List.of("opencode/big-pickle")))
                .isEqualTo("Configured on this instance: fake/fake-model, fake/other. Built into OpenCode: opencode/big-pickle.");
    }

    @Test
    void theListIsCappedAndSaysHowManyMoreThereAre() {
        List<String> builtIn = IntStream.range(0, 50).mapToObj(i -> "opencode/free-" + i).toList();
        String text = AgentModelCheck.modelChoices(List.of("fake/fake-model"), builtIn);
        assertThat(text).startsWith("Configured on this instance: fake/fake-model. Built into OpenCode: opencode/free-0, ")
                .contains("opencode/free-38").doesNotContain("opencode/free-39").endsWith(" (and 11 more).");
    }

    @Test
    void withNothingConfiguredTheBuiltInModelsAreStillNamed() {
        assertThat(AgentModelCheck.modelChoices(List.of(), List.of("opencode/big-pickle")))
                .isEqualTo("Built into OpenCode: opencode/big-pickle.");
        assertThat(AgentModelCheck.modelChoices(List.of(), List.of())).contains("no models");
    }
}
