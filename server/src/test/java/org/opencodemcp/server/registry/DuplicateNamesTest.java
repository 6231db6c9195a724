package org.opencodemcp.server.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DuplicateNamesTest {
    @Test
    void filesWithNamesOfTheirOwnAreNotDuplicates() {
        assertThat(DuplicateNames.otherClaimants(Map.of("a.json", "a", "b.json", "b"))).isEmpty();
        assertThat(DuplicateNames.otherClaimants(Map.of())).isEmpty();
    }

    @Test
    void everyClaimantOfASharedNameIsToldTheOthersSorted() {
        Map<String, List<String>> dup = DuplicateNames.otherClaimants(
                Map.of("z.json", "laptop", "a.json", "laptop", "m.json", "laptop", "own.json", "own"));
        assertThat(dup).containsOnlyKeys("a.json", "m.json", "z.json");
        assertThat(dup.get("a.json")).containsExactly("m.json", "z.json");
        assertThat(dup.get("m.json")).containsExactly("a.json", "z.json");
        assertThat(dup.get("z.json")).containsExactly("a.json", "m.json");
    }

    @Test
    void namesDifferingOnlyInCaseAreDifferentNames() {
        assertThat(DuplicateNames.otherClaimants(Map.of("a.json", "Laptop", "b.json", "laptop"))).isEmpty();
    }
}
