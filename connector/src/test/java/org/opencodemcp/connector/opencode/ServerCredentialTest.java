package org.opencodemcp.connector.opencode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerCredentialTest {

    @Test
    void aGeneratedPasswordIs32RandomBytesInBase64UrlAndNewEachLaunch() {
        ServerCredential a = ServerCredential.forLaunch(Map.of());
        ServerCredential b = ServerCredential.forLaunch(Map.of());
        assertThat(a).isNotEqualTo(b);
        assertThat(a.user()).isEqualTo("opencode");
        assertThat(a.personsOwn()).isFalse();
        String password = a.environment().get("OPENCODE_SERVER_PASSWORD");
        assertThat(password).matches("[A-Za-z0-9_-]{43}");
        assertThat(Base64.getUrlDecoder().decode(password)).hasSize(32);
        assertThat(a.environment()).containsEntry("OPENCODE_SERVER_USERNAME", "opencode");
        assertThat(a.authFileText()).isEqualTo("opencode:" + password + "\n");
        assertThat(a.toString()).doesNotContain(password);
    }

    @Test
    void thePersonsOwnPasswordWins() {
        ServerCredential own = ServerCredential.forLaunch(Map.of("OPENCODE_SERVER_PASSWORD", "hunter2",
                "OPENCODE_SERVER_USERNAME", "alice"));
        assertThat(own.personsOwn()).isTrue();
        assertThat(own.authFileText()).isEqualTo("alice:hunter2\n");
        assertThat(own.header()).isEqualTo("Basic " + Base64.getEncoder()
                .encodeToString("alice:hunter2".getBytes(StandardCharsets.UTF_8)));
        assertThat(ServerCredential.forLaunch(Map.of("OPENCODE_SERVER_PASSWORD", "p")).user()).isEqualTo("opencode");
        assertThatThrownBy(() -> ServerCredential.fromEnv(Map.of("OPENCODE_SERVER_PASSWORD", "a\nb")))
                .hasMessageContaining("line break");
        assertThatThrownBy(() -> ServerCredential.fromEnv(Map.of("OPENCODE_SERVER_PASSWORD", "p",
                "OPENCODE_SERVER_USERNAME", "a:b"))).hasMessageContaining("':'");
    }

    @Test
    void readsTheAuthFileFormatAndRefusesAnythingElse() throws Exception {
        assertThat(ServerCredential.parseAuthFile("u:p:with:colons\n"))
                .isEqualTo(ServerCredential.parseAuthFile("u:p:with:colons"));
        assertThat(ServerCredential.parseAuthFile("u:p\n").header()).isEqualTo(ServerCredential.fromEnv(
                Map.of("OPENCODE_SERVER_PASSWORD", "p", "OPENCODE_SERVER_USERNAME", "u")).orElseThrow().header());
        for (String bad : new String[] {"", "nopassword", ":p", "u:", "u:p\nv:q\n", "u:p\n\n"}) {
            assertThatThrownBy(() -> ServerCredential.parseAuthFile(bad)).as(bad).hasMessageContaining("USER:PASSWORD");
        }
    }
}
