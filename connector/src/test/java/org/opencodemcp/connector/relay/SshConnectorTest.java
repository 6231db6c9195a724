package org.opencodemcp.connector.relay;

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
import org.junit.jupiter.api.io.TempDir;
import org.opencodemcp.testkit.SshClientKey;
import org.opencodemcp.connector.testing.MinaRelay;
import org.opencodemcp.testkit.Ports;

/** Logging in to an embedded relay: host key checking, keys, ~/.ssh/config, and what the errors say. */
class SshConnectorTest {

    @TempDir
    Path tmp;

    SshClientKey key;
    MinaRelay relay;

    @BeforeEach
    void startRelay() throws Exception {
        key = SshClientKey.generate(tmp, "ecdsa");
        relay = MinaRelay.start(tmp, key);
    }

    @AfterEach
    void stopRelay() throws Exception {
        relay.close();
    }

    SshSetup setup(Path knownHosts) {
        return new SshSetup(Optional.empty(), Optional.of(knownHosts), tmp, Optional.empty(), Duration.ofSeconds(5),
                Duration.ofSeconds(5), 3);
    }

    RelayTarget target() {
        return new RelayTarget("tester", "127.0.0.1", relay.port(), List.of(key.privateKey()), Map.of());
    }

    @Test
    void logsInWhenTheHostKeyIsKnown() throws Exception {
        try (RelaySession s = SshConnector.open(target(), setup(relay.writeKnownHosts(tmp.resolve("kh"))))) {
            assertThat(s.isConnected()).isTrue();
            assertThat(s.description()).isEqualTo("tester@127.0.0.1:" + relay.port());
        }
    }

    @Test
    void refusesAnUnknownHostKeyAndSaysHowToTrustIt() {
        Path empty = tmp.resolve("empty_known_hosts");
        assertThatThrownBy(() -> SshConnector.open(target(), setup(empty)))
                .isInstanceOfSatisfying(RelayException.class, e -> assertThat(e.permanent()).isTrue())
                .hasMessageContaining("not in " + empty)
                .hasMessageContaining("ssh-keyscan -p " + relay.port() + " 127.0.0.1 >> " + empty);
    }

    @Test
    void refusesAChangedHostKeyAsAPossibleAttack() throws Exception {
        Path other = tmp.resolve("other");
        Files.createDirectories(other);
        String otherKey;
        try (MinaRelay impostor = MinaRelay.start(other, key)) {
            otherKey = impostor.knownHostsLine().split(" ", 2)[1];
        }
        Path kh = tmp.resolve("kh");
        Files.writeString(kh, "[127.0.0.1]:" + relay.port() + " " + otherKey + "\n");
        assertThatThrownBy(() -> SshConnector.open(target(), setup(kh)))
                .isInstanceOfSatisfying(RelayException.class, e -> assertThat(e.permanent()).isTrue())
                .hasMessageContaining("DIFFERENT host key").hasMessageContaining("ssh-keygen -f " + kh + " -R");
    }

    @Test
    void explainsARefusedLogin() throws Exception {
        Path otherDir = Files.createDirectories(tmp.resolve("k2"));
        SshClientKey stranger = SshClientKey.generate(otherDir, "ecdsa");
        RelayTarget t = new RelayTarget("tester", "127.0.0.1", relay.port(), List.of(stranger.privateKey()), Map.of());
        assertThatThrownBy(() -> SshConnector.open(t, setup(relay.writeKnownHosts(tmp.resolve("kh")))))
                .isInstanceOfSatisfying(RelayException.class, e -> assertThat(e.permanent()).isTrue())
                .hasMessageContaining("refused the login as tester@127.0.0.1");
    }

    @Test
    void aMissingExplicitKeyIsAClearError() throws Exception {
        RelayTarget t = new RelayTarget("tester", "127.0.0.1", relay.port(), List.of(tmp.resolve("nope")), Map.of());
        assertThatThrownBy(() -> SshConnector.open(t, setup(relay.writeKnownHosts(tmp.resolve("kh")))))
                .hasMessageContaining("nope").hasMessageContaining("does not exist");
    }

    @Test
    void aRelayThatIsDownIsATransientProblem() throws Exception {
        RelayTarget t = new RelayTarget("tester", "127.0.0.1", Ports.free(), List.of(key.privateKey()), Map.of());
        assertThatThrownBy(() -> SshConnector.open(t, setup(tmp.resolve("kh"))))
                .isInstanceOfSatisfying(RelayException.class, e -> assertThat(e.permanent()).isFalse())
                .hasMessageContaining("Cannot connect to the relay");
    }

    @Test
    void honoursAHostAliasFromTheSshConfig() throws Exception {
        Path config = tmp.resolve("ssh_config");
        Files.writeString(config, "Host myrelay\n  HostName 127.0.0.1\n  Port " + relay.port() + "\n  User tester\n"
                + "  IdentityFile " + key.privateKey() + "\n  UserKnownHostsFile " + relay.writeKnownHosts(tmp.resolve("kh2"))
                + "\n  ServerAliveInterval 3\n");
        SshSetup setup = new SshSetup(Optional.of(config), Optional.empty(), tmp, Optional.empty(), Duration.ofSeconds(5),
                Duration.ofSeconds(5), 3);
        RelayTarget alias = SshCommandParser.parse("ssh myrelay");
        try (RelaySession s = SshConnector.open(alias, setup)) {
            assertThat(s.description()).isEqualTo("tester@127.0.0.1:" + relay.port());
        }
    }
}
