package org.opencodemcp.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BearerTokenTest {
    private static final String SECRET = "s3cr3t-t0ken-0123456789";

    @Test
    void acceptsOnlyTheExactTokenWithTheBearerScheme() {
        BearerToken token = BearerToken.of(SECRET, "MCP_BEARER_TOKEN");
        assertThat(token.accepts("Bearer " + SECRET)).isTrue();
        assertThat(token.accepts("bearer " + SECRET)).as("scheme is case-insensitive").isTrue();
        assertThat(token.accepts("  Bearer   " + SECRET + " ")).isTrue();

        assertThat(token.accepts(null)).isFalse();
        assertThat(token.accepts("")).isFalse();
        assertThat(token.accepts("Bearer")).isFalse();
        assertThat(token.accepts("Bearer ")).isFalse();
        assertThat(token.accepts(SECRET)).as("scheme required").isFalse();
        assertThat(token.accepts("Basic " + SECRET)).isFalse();
        assertThat(token.accepts("Bearer " + SECRET + "x")).isFalse();
        assertThat(token.accepts("Bearer " + SECRET.substring(1))).isFalse();
        assertThat(token.accepts("Bearer " + SECRET.toUpperCase())).as("the token itself is case-sensitive").isFalse();
        assertThat(token.accepts("Bearer " + SECRET + ", Bearer " + SECRET)).isFalse();
    }

    @Test
    void refusesEmptyShortOrUnprintableTokensAndSaysHowToMakeOne() {
        assertThatThrownBy(() -> BearerToken.of("", "MCP_BEARER_TOKEN")).isInstanceOf(HttpConfigException.class)
                .hasMessageContaining("MCP_BEARER_TOKEN is empty").hasMessageContaining("openssl rand");
        assertThatThrownBy(() -> BearerToken.of("short", "MCP_BEARER_TOKEN")).hasMessageContaining("too short");
        assertThatThrownBy(() -> BearerToken.of("with space in the middle!", "X")).hasMessageContaining("printable ASCII");
        assertThatThrownBy(() -> BearerToken.of("ümlaut-token-0123456789", "X")).hasMessageContaining("printable ASCII");
    }

    @Test
    void readsTheFirstLineOfATokenFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, SECRET + "\n");
        assertThat(BearerToken.fromFile(file).accepts("Bearer " + SECRET)).isTrue();
        assertThatThrownBy(() -> BearerToken.fromFile(dir.resolve("missing"))).isInstanceOf(HttpConfigException.class)
                .hasMessageContaining("cannot read the token file");
        Files.writeString(file, "\n");
        assertThatThrownBy(() -> BearerToken.fromFile(file)).hasMessageContaining("is empty");
    }

    @Test
    void neverPrintsTheToken() {
        assertThat(BearerToken.of(SECRET, "X").toString()).doesNotContain(SECRET);
    }
}
