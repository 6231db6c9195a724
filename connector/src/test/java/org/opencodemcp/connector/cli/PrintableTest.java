package org.opencodemcp.connector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrintableTest {
    @Test
    void controlCharactersCannotForgeARowOrRepaintTheTerminal() {
        assertThat(Printable.of("laptop\n  * evil 1 2 ok /home")).isEqualTo("laptop\\u000a  * evil 1 2 ok /home").doesNotContain("\n");
        assertThat(Printable.of("x\u001b[2Jy")).isEqualTo("x\\u001b[2Jy");
        assertThat(Printable.of("a".repeat(500))).hasSize(Printable.MAX_CHARS + 3).endsWith("...");
        assertThat(Printable.of(null)).isEqualTo("-");
        assertThat(Printable.of("/home/me/proj")).isEqualTo("/home/me/proj");
    }
}
