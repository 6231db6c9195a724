package org.opencodemcp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opencodemcp.server.config.EnvironmentDefaults;
import org.opencodemcp.server.config.Settings;
import picocli.CommandLine;

/** Without arguments the server reads the environment itself; it must see exactly what picocli would. */
class MainSettingsTest {

    private static final Map<String, String> ENV = Map.of(
            "RELAY_REGISTRY_DIR", "/srv/relay",
            "DISCOVERY_INTERVAL_MS", "1234",
            "PRUNE_AFTER_MS", "99000",
            "SEND_WAIT_SECONDS", "7",
            "OPENCODE_SERVER_USERNAME", "alice");

    @Test
    void withTheRealEnvironmentBothPathsAgree() throws Exception {
        Main direct = new Main();
        EnvironmentDefaults.apply(direct, System.getenv());
        Main parsed = new Main();
        new CommandLine(parsed).parseArgs(); // picocli resolves the same ${env:...} defaults itself
        assertThat(direct.settings()).isEqualTo(parsed.settings());
        assertThat(direct.mcpPath).isEqualTo(parsed.mcpPath);
        assertThat(direct.username).isEqualTo(parsed.username);
        assertThat(direct.http).as("stdio unless --http is given").isNull();
    }

    @Test
    void environmentValuesAndFallbacksAreApplied() throws Exception {
        Main direct = new Main();
        EnvironmentDefaults.apply(direct, ENV);
        Settings a = direct.settings();
        assertThat(a.registryDir()).isEqualTo(Path.of("/srv/relay"));
        assertThat(a.discoveryInterval()).isEqualTo(Duration.ofMillis(1234));
        assertThat(a.healthTimeout()).as("fallback").isEqualTo(Duration.ofMillis(3000));
        assertThat(a.pruneAfter()).isEqualTo(Duration.ofMillis(99000));
        assertThat(a.sendWait()).isEqualTo(Duration.ofSeconds(7));
        assertThat(direct.username).isEqualTo("alice");
        assertThat(direct.mcpPath).as("fallback").isEqualTo("/mcp");
    }

    @Test
    void aBadNumberInTheEnvironmentNamesTheVariable() {
        Main main = new Main();
        assertThatThrownBy(() -> EnvironmentDefaults.apply(main, Map.of("HEALTH_CHECK_TIMEOUT_MS", "3s")))
                .hasMessageContaining("HEALTH_CHECK_TIMEOUT_MS").hasMessageContaining("3s");
    }

    @Test
    void aZeroIntervalIsRefused() {
        Main main = new Main();
        EnvironmentDefaults.apply(main, Map.of("DISCOVERY_INTERVAL_MS", "0"));
        assertThatThrownBy(main::settings).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be positive");
    }
}
