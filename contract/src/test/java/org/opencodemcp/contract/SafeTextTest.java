package org.opencodemcp.contract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SafeTextTest {
    @Test
    void logEscapesControlsSeparatorsAndBidiOverrides() {
        assertThat(SafeText.log("host\nINFO forged line\r\t\u001b[31m\u202e")).isEqualTo("host\\nINFO forged line\\r\\t\\u001b[31m\\u202e");
        assertThat(SafeText.log(null)).isEqualTo("null");
        assertThat(SafeText.log("x".repeat(400))).hasSize(SafeText.MAX_CHARS + 3).endsWith("...");
    }

    @Test
    void terminalRowsCannotBeForgedOrRepainted() {
        assertThat(SafeText.terminal("laptop\n  * evil 1 2 ok /home")).isEqualTo("laptop\\n  * evil 1 2 ok /home");
        assertThat(SafeText.terminal("x\u001b[2Jy")).isEqualTo("x\\u001b[2Jy");
        assertThat(SafeText.terminal(null)).isEqualTo("-");
        assertThat(SafeText.terminal("/home/me/proj")).isEqualTo("/home/me/proj");
    }

    @Test
    void markdownCannotOpenStructure() {
        assertThat(SafeText.markdown("a|b\n# x `y` <b>[l](u)\\")).isEqualTo("a\\|b\\n# x \\`y\\` \\<b\\>\\[l\\](u)\\\\");
        assertThat(SafeText.markdown(" ")).isEqualTo("-");
        assertThat(SafeText.markdown("/home/alice/my_project")).isEqualTo("/home/alice/my_project");
    }
}
