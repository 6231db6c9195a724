package org.opencodemcp.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BasicAuthTest {
    @Test
    void anUnsetOrBlankUserIsOpencodesDefault() {
        assertThat(BasicAuth.of(null, "pw").user()).isEqualTo("opencode");
        assertThat(BasicAuth.of("  ", "pw").user()).isEqualTo("opencode");
        assertThat(BasicAuth.fromEnvironment(Map.of("OPENCODE_SERVER_PASSWORD", "pw", "OPENCODE_SERVER_USERNAME", "")))
                .contains(new BasicAuth("opencode", "pw"));
        assertThat(BasicAuth.fromEnvironment(Map.of("OPENCODE_SERVER_PASSWORD", ""))).isEmpty();
        assertThat(BasicAuth.fromEnvironment(Map.of())).isEmpty();
    }

    @Test
    void anEmptyUserInAFileIsRefusedNotGuessed() {
        assertThatThrownBy(() -> BasicAuth.parseAuthFile(":pw\n")).hasMessageContaining("user name is empty");
        assertThatThrownBy(() -> new BasicAuth("", "pw")).hasMessageContaining("user name is empty");
    }

    @Test
    void headerAndFileText() {
        BasicAuth a = new BasicAuth("opencode", "s3cret");
        assertThat(a.header()).isEqualTo("Basic b3BlbmNvZGU6czNjcmV0");
        assertThat(a.authFileText()).isEqualTo("opencode:s3cret\n");
        assertThat(BasicAuth.parseAuthFile("opencode:s3cret\r\n")).isEqualTo(a);
        assertThat(BasicAuth.parseAuthFile("u:pass:with:colons").password()).isEqualTo("pass:with:colons");
        assertThat(a.toString()).doesNotContain("s3cret");
    }

    @Test
    void refusesWhatCouldNotBeWrittenAsOneLine() {
        assertThatThrownBy(() -> new BasicAuth("a:b", "pw")).hasMessageContaining("':'");
        assertThatThrownBy(() -> new BasicAuth("u", "p\nw")).hasMessageContaining("line break").hasMessageNotContaining("p\nw");
        assertThatThrownBy(() -> new BasicAuth("u", "x".repeat(1100))).hasMessageContaining("1024");
        assertThatThrownBy(() -> BasicAuth.parseAuthFile("u:a\nu:b\n")).hasMessageContaining("more than one line");
    }
}
