package org.opencodemcp.connector.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
import org.opencodemcp.connector.testing.OpenCodeEnv;
import org.opencodemcp.testkit.OpenSshServer;
import org.opencodemcp.testkit.Eventually;

/** The real OpenSSH sshd as the relay, the real opencode behind the tunnel. */
class OpenSshIT {

    OpenCodeEnv oc;
    OpenSshServer sshd;
    SshClientKey key;
    Path dir;

    @BeforeEach
    void setUp() throws Exception {
        OpenSshServer.requireSshd();
        oc = OpenCodeEnv.create();
        dir = Files.createDirectories(oc.root().resolve("sshd"));
        key = SshClientKey.generate(dir);
        sshd = OpenSshServer.start(dir, key);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (sshd != null) {
            sshd.close();
        }
        if (oc != null) {
            oc.close();
        }
    }

    RelayTarget target() {
        return new RelayTarget(System.getProperty("user.name"), "127.0.0.1", sshd.port(), List.of(key.privateKey()),
                Map.of());
    }

    SshSetup ssh(Path knownHosts) {
        return new SshSetup(Optional.empty(), Optional.of(knownHosts), dir, Optional.empty(), Duration.ofSeconds(10),
                Duration.ofSeconds(5), 3);
    }

    @Test
    void happyPathThroughOpenSsh() throws Exception {
        Settings s = oc.settings().withRelay(target(), ssh(sshd.writeKnownHosts(dir.resolve("known_hosts"))))
                .withRegistryDir(oc.root().resolve("relay-registry/nested").toString());
        LocalRegistryStore onRelay = new LocalRegistryStore(Path.of(s.registryDir()));
        try (Connector c = Connector.start(s)) {
            // start() returns after the link's first attempt, which may fail and reconnect: the registration comes with the one that succeeds
            Eventually.await(Duration.ofSeconds(30), () -> assertThat(onRelay.read("it-instance")).isPresent());
            Registration r = onRelay.read("it-instance").orElseThrow(() -> new AssertionError(sshd.log()));
            assertThat(r.port()).isNotEqualTo(c.localPort());
            Path file = Path.of(s.registryDir(), "it-instance.json");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            // what opencode-mcp on the relay does: loopback port -> sshd -> tunnel -> opencode, with <name>.auth
            Optional<String> auth = onRelay.readAuth("it-instance").map(ServerCredential::header);
            assertThat(auth).isPresent();
            Health h = Health.parse(MiniHttp.getLocal(r.port(), "/global/health", auth, Duration.ofSeconds(5)));
            assertThat(h.healthy()).isTrue();
            assertThat(JsonFields.read(MiniHttp.getLocal(r.port(), "/path", auth, Duration.ofSeconds(5))
                    .body())).containsEntry("directory", oc.project().toString());
            Eventually.await(Duration.ofSeconds(10),
                    () -> assertThat(onRelay.read("it-instance").orElseThrow().heartbeatAt()).isAfter(r.heartbeatAt()));
            assertThat(c.state()).contains("relay port " + r.port());
            assertThat(c.stop()).isEqualTo(143);
            assertThat(file).doesNotExist();
            assertThat(Path.of(s.registryDir(), "it-instance.auth")).doesNotExist();
            Eventually.await(Duration.ofSeconds(10), () -> assertThatThrownBy(() -> MiniHttp.getLocal(r.port(),
                    "/global/health", Optional.empty(), Duration.ofSeconds(2))).isNotNull());
        }
    }

    @Test
    void unknownHostKeyIsRefusedBeforeOpencodeStarts() {
        Settings s = oc.settings().withRelay(target(), ssh(dir.resolve("empty_known_hosts")));
        Throwable thrown;
        try {
            Connector.start(s).close(); // must not get here; if it does, leave nothing running
            thrown = null;
        } catch (Throwable t) {
            thrown = t;
        }
        assertThat(thrown).isInstanceOfSatisfying(ConnectorException.class,
                e -> assertThat(e.exitCode()).isEqualTo(2)).hasMessageContaining("ssh-keyscan -p " + sshd.port());
        assertThat(Path.of(s.registryDir())).doesNotExist();
    }
}
