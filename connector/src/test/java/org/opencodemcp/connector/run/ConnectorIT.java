package org.opencodemcp.connector.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opencodemcp.connector.config.Settings;
import org.opencodemcp.connector.opencode.Health;
import org.opencodemcp.connector.opencode.JsonFields;
import org.opencodemcp.connector.opencode.MiniHttp;
import org.opencodemcp.connector.opencode.ServerCredential;
import org.opencodemcp.connector.registry.LocalRegistryStore;
import org.opencodemcp.contract.Registration;
import org.opencodemcp.connector.relay.RelayTarget;
import org.opencodemcp.connector.relay.SshSetup;
import org.opencodemcp.testkit.SshClientKey;
import org.opencodemcp.connector.testing.MinaRelay;
import org.opencodemcp.connector.testing.OpenCodeEnv;
import org.opencodemcp.testkit.Eventually;

/** The whole connector in-process with the real {@code opencode serve}: local-only and through an embedded relay. */
class ConnectorIT {

    OpenCodeEnv oc;

    @BeforeEach
    void setUp() {
        oc = OpenCodeEnv.create();
    }

    @AfterEach
    void tearDown() {
        oc.close();
    }

    LocalRegistryStore registry(Settings s) {
        return new LocalRegistryStore(Path.of(s.registryDir()));
    }

    @Test
    void localOnlyRegistersOpencodeAndCleansUpOnStop() throws Exception {
        Settings s = oc.settings();
        Connector c = Connector.start(s);
        long pid = c.opencodePid();
        Registration r = registry(s).read("it-instance").orElseThrow();
        assertThat(r.port()).isEqualTo(r.localPort()).isEqualTo(c.localPort()).isBetween(4096, 5095);
        assertThat(r.cwd()).isEqualTo(oc.project().toString());
        assertThat(r.opencodeVersion()).isEqualTo("1.18.33");
        assertThat(r.pid()).isEqualTo(ProcessHandle.current().pid());
        Optional<String> auth = registry(s).readAuth("it-instance").map(ServerCredential::header);
        assertThat(auth).isPresent();
        var path = JsonFields.read(MiniHttp.getLocal(r.port(), "/path", auth, Duration.ofSeconds(5)).body());
        assertThat(path).containsEntry("directory", oc.project().toString());

        Eventually.await(Duration.ofSeconds(10),
                () -> assertThat(registry(s).read("it-instance").orElseThrow().heartbeatAt()).isAfter(r.heartbeatAt()));

        int code = c.stop();
        assertThat(code).isEqualTo(143); // SIGTERM, passed on to opencode, is its exit status
        assertThat(Path.of(s.registryDir(), "it-instance.json")).doesNotExist();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void whenOpencodeExitsTheConnectorEndsWithItsExitCode() throws Exception {
        Settings s = oc.settings();
        Connector c = Connector.start(s);
        ProcessHandle.of(c.opencodePid()).orElseThrow().destroy(); // as if the person quit opencode
        assertThat(c.awaitExit()).isEqualTo(143);
        assertThat(Path.of(s.registryDir(), "it-instance.json")).doesNotExist();
    }

    @Test
    void anOpencodeThatDiesAtStartupIsReportedWithItsExitCode() {
        Settings s = oc.settings().withOpencodeArgs(List.of("--no-such-option-here"));
        Settings broken = new Settings(s.relay(), s.ssh(), s.registryDir(), s.name(), "/bin/false", true, List.of(),
                s.cwd(), s.env(), s.portRange(), s.timing(), false);
        assertThatThrownBy(() -> Connector.start(broken)).isInstanceOfSatisfying(ConnectorException.class,
                e -> assertThat(e.exitCode()).isEqualTo(1)).hasMessageContaining("opencode exited with code 1");
        Settings missing = new Settings(s.relay(), s.ssh(), s.registryDir(), s.name(), "/no/such/opencode", true,
                List.of(), s.cwd(), s.env(), s.portRange(), s.timing(), false);
        assertThatThrownBy(() -> Connector.start(missing)).hasMessageContaining("--opencode");
        assertThat(Path.of(s.registryDir())).doesNotExist();
    }

    @Test
    void throughAnEmbeddedRelayTheRegistrationPointsAtTheTunnel() throws Exception {
        Path dir = Files.createDirectories(oc.root().resolve("relay"));
        SshClientKey key = SshClientKey.generate(dir, "ecdsa");
        try (MinaRelay relay = MinaRelay.start(dir, key)) {
            Path kh = relay.writeKnownHosts(dir.resolve("known_hosts"));
            RelayTarget target = new RelayTarget("tester", "127.0.0.1", relay.port(), List.of(key.privateKey()), Map.of());
            SshSetup ssh = new SshSetup(Optional.empty(), Optional.of(kh), dir, Optional.empty(), Duration.ofSeconds(5),
                    Duration.ofSeconds(5), 3);
            Settings s = oc.settings().withRelay(target, ssh);
            try (Connector c = Connector.start(s)) {
                // start() returns after the link's first attempt, which may fail and reconnect (JSch now and then
                // loses the port the relay allocated): the registration comes with the attempt that succeeds
                Eventually.await(Duration.ofSeconds(30), () -> assertThat(registry(s).read("it-instance")).isPresent());
                Registration r = registry(s).read("it-instance").orElseThrow();
                Optional<String> auth = registry(s).readAuth("it-instance").map(ServerCredential::header);
                assertThat(r.port()).isNotEqualTo(c.localPort());
                assertThat(r.localPort()).isEqualTo(c.localPort());
                var health = Health.parse(MiniHttp.getLocal(r.port(), "/global/health", auth, Duration.ofSeconds(5)));
                assertThat(health.version()).isEqualTo("1.18.33");
                var path = JsonFields.read(MiniHttp.getLocal(r.port(), "/path", auth, Duration.ofSeconds(5)).body());
                assertThat(path).containsEntry("directory", oc.project().toString());
                assertThat(c.stop()).isEqualTo(143);
            }
            assertThat(Path.of(s.registryDir(), "it-instance.json")).doesNotExist();
            assertThat(Path.of(s.registryDir(), "it-instance.auth")).doesNotExist();
        }
    }
}
