package org.opencodemcp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencodemcp.server.config.EnvironmentDefaults;
import org.opencodemcp.server.config.HttpSettings;
import org.opencodemcp.server.config.ServerOptions;
import org.opencodemcp.server.config.Settings;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * Configuration is resolved in one order, option > environment > default, whether picocli parses
 * arguments or the server reads the environment itself (started with no arguments).
 */
class MainSettingsTest {

    private static final Map<String, String> ENV = Map.of(
            "RELAY_REGISTRY_DIR", "/srv/relay",
            "DISCOVERY_INTERVAL_MS", "1234",
            "PRUNE_AFTER_MS", "99000",
            "SEND_WAIT_SECONDS", "7",
            "OPENCODE_SERVER_USERNAME", "alice",
            "OPENCODE_SERVER_PASSWORD", "pw",
            "MCP_BEARER_TOKEN", "s3cret-bearer",
            "HTTP_BIND", "127.0.0.1:7001");

    @TempDir
    Path tmp;

    /** The no-argument path. */
    private static Main direct(Map<String, String> env) {
        Main main = new Main(env);
        main.options.applyEnvironment(env);
        return main;
    }

    /** The picocli path, as {@code Main.main} sets it up. */
    private static Main parsed(Map<String, String> env, String... args) {
        Main main = new Main(env);
        new CommandLine(main).setDefaultValueProvider(EnvironmentDefaults.provider(env)).parseArgs(args);
        return main;
    }

    @Test
    void bothPathsResolveTheSameEnvironmentTheSameWay() throws Exception {
        for (Map<String, String> env : java.util.List.of(ENV, System.getenv())) {
            Main direct = direct(env);
            Main parsed = parsed(env);
            assertThat(direct.options.settings(env)).isEqualTo(parsed.options.settings(env));
            assertThat(direct.options.httpMode()).as("stdio unless --http is given").isFalse();
        }
        assertThat(direct(ENV).options.settings(ENV).credentials().username()).isEqualTo("alice");
    }

    @Test
    void everyOptionGetsTheSameValueBothWays() throws Exception {
        // each option's variable set to a value of its type, then none set: every @Option field, not only Settings
        Map<String, String> all = new java.util.HashMap<>();
        for (Field f : ServerOptions.class.getDeclaredFields()) {
            Option option = f.getAnnotation(Option.class);
            java.util.regex.Matcher m = option == null ? null
                    : java.util.regex.Pattern.compile("\\$\\{env:(\\w+)").matcher(option.defaultValue());
            if (m != null && m.find()) {
                all.put(m.group(1), f.getType() == long.class ? "4321" : "/srv/" + f.getName());
            }
        }
        assertThat(all).as("options with an environment fallback").hasSizeGreaterThanOrEqualTo(17);
        for (Map<String, String> env : java.util.List.of(all, Map.<String, String>of())) {
            ServerOptions direct = direct(env).options;
            ServerOptions parsed = parsed(env).options;
            for (Field f : ServerOptions.class.getDeclaredFields()) {
                if (f.isAnnotationPresent(Option.class)) {
                    f.setAccessible(true);
                    assertThat(f.get(direct)).as("%s with %s", f.getName(), env.isEmpty() ? "no variable" : "every variable")
                            .isEqualTo(f.get(parsed));
                }
            }
        }
    }

    @Test
    void anOptionBeatsTheEnvironmentWhichBeatsTheDefault() throws Exception {
        Settings s = parsed(ENV, "--discovery-interval-ms", "77", "--registry-dir", "/opt/reg").options.settings(ENV);
        assertThat(s.discoveryInterval()).as("option").isEqualTo(Duration.ofMillis(77));
        assertThat(s.registryDir()).as("option").isEqualTo(Path.of("/opt/reg"));
        assertThat(s.pruneAfter()).as("environment").isEqualTo(Duration.ofMillis(99000));
        assertThat(s.healthTimeout()).as("default").isEqualTo(Duration.ofMillis(Settings.DEFAULT_HEALTH_CHECK_TIMEOUT_MS));
        assertThat(s.requestTimeout()).as("default").isEqualTo(Duration.ofMillis(Settings.DEFAULT_REQUEST_TIMEOUT_MS));
        Settings defaults = parsed(Map.of()).options.settings(Map.of());
        assertThat(defaults.registryDir()).isEqualTo(Path.of(Settings.DEFAULT_REGISTRY_DIR));
        assertThat(defaults.sendWait()).isEqualTo(Duration.ofSeconds(Settings.DEFAULT_SEND_WAIT_SECONDS));
        assertThat(defaults.credentials()).as("no password anywhere").isNull();
    }

    @Test
    void environmentValuesAndFallbacksAreApplied() throws Exception {
        Settings a = direct(ENV).options.settings(ENV);
        assertThat(a.registryDir()).isEqualTo(Path.of("/srv/relay"));
        assertThat(a.discoveryInterval()).isEqualTo(Duration.ofMillis(1234));
        assertThat(a.healthTimeout()).as("fallback").isEqualTo(Duration.ofMillis(3000));
        assertThat(a.pruneAfter()).isEqualTo(Duration.ofMillis(99000));
        assertThat(a.sendWait()).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void theSecretsAndTheHttpAddressComeFromTheGivenEnvironmentOnly() throws Exception {
        Main main = parsed(ENV, "--http");
        HttpSettings http = main.options.httpSettings(ENV);
        assertThat(http.spec()).isEmpty();
        assertThat(http.bindEnv()).isEqualTo("127.0.0.1:7001");
        assertThat(http.tokenEnv()).isEqualTo("s3cret-bearer");
        assertThat(http.mcpPath()).isEqualTo("/mcp");
        assertThat(http.sessionIdle()).isEqualTo(Duration.ofMillis(Settings.DEFAULT_HTTP_SESSION_IDLE_MS));
        assertThat(http.toString()).doesNotContain("s3cret-bearer");
        Path file = Files.writeString(tmp.resolve("pw"), "from-file\n");
        assertThat(parsed(ENV, "--password-file", file.toString()).options.settings(ENV).credentials().password())
                .as("the file beats the variable").isEqualTo("from-file");
    }

    @Test
    void aBadNumberInTheEnvironmentNamesTheVariableOrTheOption() {
        assertThatThrownBy(() -> direct(Map.of("HEALTH_CHECK_TIMEOUT_MS", "3s")))
                .hasMessageContaining("HEALTH_CHECK_TIMEOUT_MS").hasMessageContaining("3s");
        assertThatThrownBy(() -> parsed(Map.of("HEALTH_CHECK_TIMEOUT_MS", "3s")))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--health-timeout-ms").hasMessageContaining("3s");
        assertThatThrownBy(() -> parsed(Map.of(), "--prune-after-ms", "soon"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("soon");
    }

    @Test
    void aZeroOrNegativeDurationIsRefused() {
        Main main = direct(Map.of("DISCOVERY_INTERVAL_MS", "0"));
        assertThatThrownBy(() -> main.options.settings(Map.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--discovery-interval-ms must be positive");
        Main http = parsed(Map.of(), "--http", "--session-idle-ms", "-5");
        assertThatThrownBy(() -> http.options.httpSettings(Map.of())).hasMessageContaining("--session-idle-ms must be positive");
    }

    @Test
    void helpShowsEveryVariableAndTheDefaultInForce() {
        Map<String, String> env = Map.of("PRUNE_AFTER_MS", "42");
        String help = new CommandLine(new Main(env)).setDefaultValueProvider(EnvironmentDefaults.provider(env))
                .setUsageHelpWidth(400).getUsageMessage();
        assertThat(help).contains("[RELAY_REGISTRY_DIR] (default: /tmp/opencode-relay)", "[DISCOVERY_INTERVAL_MS]",
                "(default: 30000)", "[HEALTH_CHECK_TIMEOUT_MS]", "[OPENCODE_REQUEST_TIMEOUT_MS]", "[SEND_WAIT_SECONDS]",
                "[OPENCODE_SERVER_USERNAME]", "[OPENCODE_SERVER_PASSWORD_FILE]", "[TOOLS] (default: full)", "[HTTP_SESSION_IDLE_MS]", "[MCP_PATH]",
                "[MCP_BEARER_TOKEN_FILE]", "[ALLOWED_HOSTS]", "[ALLOWED_ORIGINS]", "HTTP_BIND", "MCP_BEARER_TOKEN");
        assertThat(help).as("the environment's value is the default shown").contains("(default: 42)");
    }
}
