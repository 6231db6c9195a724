package org.opencodemcp.server.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ToolProfileTest {
    @Test
    void profilesParseInAnyCaseAndDefaultToFull() {
        assertThat(ToolProfile.parse(null)).isEqualTo(ToolProfile.FULL);
        assertThat(ToolProfile.parse(" ")).isEqualTo(ToolProfile.FULL);
        assertThat(ToolProfile.parse("Simple")).isEqualTo(ToolProfile.SIMPLE);
        assertThat(ToolProfile.parse(" all ")).isEqualTo(ToolProfile.ALL);
    }

    @Test
    void anUnknownProfileNamesTheValidOnesOnOneLine() {
        assertThatThrownBy(() -> ToolProfile.parse("tiny")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'tiny'").hasMessageContaining("full, simple, all").hasMessageNotContaining("\n");
    }
}
