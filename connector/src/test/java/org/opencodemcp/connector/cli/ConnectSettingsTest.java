package org.opencodemcp.connector.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.opencodemcp.connector.config.PortRange;
import org.opencodemcp.connector.config.Settings;
import org.opencodemcp.connector.config.Timing;
import picocli.CommandLine;

/** The connector resolves every setting in one order: option > environment > default; a bad value is refused with the fix. */
class ConnectSettingsTest {

    private static Settings settings(Map<String, String> env, String... args) {
        Map<String, String> withHome = new HashMap<>(env);
        withHome.putIfAbsent("HOME", "/nonexistent-home");
        ConnectCommand command = new ConnectCommand(withHome, false);
        new CommandLine(command).parseArgs(args);
        return command.settings();
    }

    @Test
    void anOptionBeatsTheEnvironmentWhichBeatsTheDefault() {
        Map<String, String> env = Map.of("RELAY_REGISTRY_DIR", "/env/reg", "INSTANCE_NAME", "from-env", "OPENCODE_BIN", "/env/opencode");
        Settings fromOptions = settings(env, "--registry-dir", "/opt/reg", "--name", "from-option", "--opencode", "/opt/opencode");
        assertThat(fromOptions.registryDir()).isEqualTo("/opt/reg");
        assertThat(fromOptions.name()).contains("from-option");
        assertThat(fromOptions.opencode()).isEqualTo("/opt/opencode");

        Settings fromEnv = settings(env);
        assertThat(fromEnv.registryDir()).isEqualTo("/env/reg");
        assertThat(fromEnv.name()).contains("from-env");
        assertThat(fromEnv.opencode()).isEqualTo("/env/opencode");

        Settings defaults = settings(Map.of());
        assertThat(defaults.registryDir()).isEqualTo("/tmp/opencode-relay");
        assertThat(defaults.name()).isEqualTo(Optional.empty());
        assertThat(defaults.opencode()).isEqualTo("opencode");
        assertThat(defaults.relay()).isEmpty();
        assertThat(defaults.portRange()).isEqualTo(PortRange.DEFAULT);
        assertThat(defaults.timing()).isEqualTo(Timing.defaults());
    }

    @Test
    void aBlankVariableMeansUnset() {
        Settings s = settings(Map.of("RELAY_REGISTRY_DIR", " ", "INSTANCE_NAME", ""));
        assertThat(s.registryDir()).isEqualTo("/tmp/opencode-relay");
        assertThat(s.name()).isEmpty();
    }

    @Test
    void optionsOverrideTheTimingDefaults() {
        Timing t = settings(Map.of(), "--heartbeat", "5s", "--reconnect-max", "2m", "--stop-timeout", "500ms").timing();
        assertThat(t.heartbeat()).isEqualTo(Duration.ofSeconds(5));
        assertThat(t.reconnectMax()).isEqualTo(Duration.ofMinutes(2));
        assertThat(t.stopTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(t.startupTimeout()).isEqualTo(Timing.defaults().startupTimeout());
    }

    @Test
    void badValuesAreRefusedWithTheFix() {
        assertThatThrownBy(() -> settings(Map.of(), "--heartbeat", "soon")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("500ms, 30s, 2m or 1h").hasMessageContaining("soon");
        assertThatThrownBy(() -> settings(Map.of(), "--port-range", "9-x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> settings(Map.of("OPENCODE_SERVER_PASSWORD", "a\nb")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OPENCODE_SERVER_PASSWORD")
                .hasMessageNotContaining("a\nb");
    }

    @Test
    void helpShowsTheDefaults() {
        String help = new CommandLine(new ConnectCommand(Map.of(), false)).setUsageHelpWidth(400).getUsageMessage();
        assertThat(help).contains("(default 4096-5095)", "Heartbeat interval (default 30s)", "(default 60s)", "(default 10s)",
                "env RELAY_REGISTRY_DIR, default /tmp/opencode-relay");
    }
}
