package org.opencodemcp.connector.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencodemcp.connector.config.Timing;
import org.opencodemcp.connector.opencode.Health;
import org.opencodemcp.connector.opencode.JsonFields;
import org.opencodemcp.connector.opencode.MiniHttp;
import org.opencodemcp.connector.registry.LocalRegistryStore;
import org.opencodemcp.contract.Registration;
import org.opencodemcp.connector.relay.RelayTarget;
import org.opencodemcp.connector.relay.SshConnector;
import org.opencodemcp.connector.relay.SshSetup;
import org.opencodemcp.testkit.SshClientKey;
import org.opencodemcp.connector.testing.MinaRelay;
import org.opencodemcp.testkit.Eventually;
import org.opencodemcp.testkit.FakeOpenCode;

/**
 * The relay link against an embedded MINA SSHD relay, with a stand-in opencode (the real one is in
 * the ITs): forward allocated, registration written only then and atomically, a request through the
 * tunnel, heartbeats, relay restart, cleanup.
 */
class RelayLinkTest {

    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    MinaRelay relay;
    FakeOpenCode opencode;
    RelayLink link;
    Path registry;
    Registration base;

    @BeforeEach
    void setUp() throws Exception {
        SshClientKey key = SshClientKey.generate(tmp, "ecdsa");
        relay = MinaRelay.start(tmp, key);
        Path kh = relay.writeKnownHosts(tmp.resolve("known_hosts"));
        opencode = FakeOpenCode.start(tmp.toString());
        registry = tmp.resolve("relay-side/registry");
        RelayTarget target = new RelayTarget("tester", "127.0.0.1", relay.port(), List.of(key.privateKey()), Map.of());
        SshSetup setup = new SshSetup(Optional.empty(), Optional.of(kh), tmp, Optional.empty(), Duration.ofSeconds(5),
                Duration.ofSeconds(2), 2);
        base = new Registration("laptop-proj", "laptop", opencode.port(), opencode.port(), tmp.toString(),
                Instant.now(), null, "instance-1", FakeOpenCode.VERSION, 42L, "opencode-connected", "test");
        Timing timing = Timing.defaults().withHeartbeat(Duration.ofMillis(400))
                .withReconnect(Duration.ofMillis(100), Duration.ofMillis(400)).withStopTimeout(Duration.ofSeconds(5));
        link = new RelayLink(() -> SshConnector.open(target, setup), null, registry.toString(), base, Optional.empty(),
                t -> Health.parse(MiniHttp.getLocal(opencode.port(), "/global/health", Optional.empty(), t)), timing,
                Clock.systemUTC(), false);
    }

    @AfterEach
    void tearDown() throws Exception {
        link.close();
        relay.close();
        opencode.close();
    }

    Registration onRelay() throws Exception {
        return new LocalRegistryStore(registry).read("laptop-proj").orElseThrow();
    }

    @Test
    void registersTheAllocatedPortAndTheTunnelReachesOpencode() throws Exception {
        link.start();
        Registration r = onRelay();
        assertThat(r.port()).isNotEqualTo(opencode.port()).isEqualTo(link.current().orElseThrow().port());
        assertThat(r.localPort()).isEqualTo(opencode.port());
        Path file = registry.resolve("laptop-proj.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var files = Files.list(registry)) {
            assertThat(files).containsExactly(file);
        }
        // the relay's loopback port leads to opencode: what opencode-mcp will do
        var reply = MiniHttp.getLocal(r.port(), "/path", Optional.empty(), Duration.ofSeconds(5));
        assertThat(JsonFields.read(reply.body())).containsEntry("directory", tmp.toString());
        assertThat(link.state()).contains("relay port " + r.port());
    }

    @Test
    void heartbeatsRefreshTheFileAndRestoreItWhenDeleted() throws Exception {
        link.start();
        Instant first = onRelay().heartbeatAt();
        Eventually.await(WAIT, () -> assertThat(onRelay().heartbeatAt()).isAfter(first));
        Files.delete(registry.resolve("laptop-proj.json")); // as a pruning server would
        Eventually.await(WAIT, () -> assertThat(registry.resolve("laptop-proj.json")).exists());
    }

    @Test
    void reconnectsAfterARelayRestartAndRegistersTheNewPort() throws Exception {
        link.start();
        int before = onRelay().port();
        assertThat(link.registrations()).isEqualTo(1);
        relay.restart();
        Eventually.await(WAIT, () -> assertThat(link.registrations()).isEqualTo(2));
        Registration after = onRelay();
        assertThat(after.port()).isEqualTo(link.current().orElseThrow().port());
        var reply = MiniHttp.getLocal(after.port(), "/global/health", Optional.empty(), Duration.ofSeconds(5));
        assertThat(Health.parse(reply).healthy()).isTrue();
        // the relay usually allocates a different port; either way the file names the one that works now
        assertThat(after.connectedAt()).isAfterOrEqualTo(Instant.ofEpochSecond(0));
        assertThat(before).isPositive();
    }

    @Test
    void keepsRetryingWhileTheRelayIsDownAndRegistersWhenItIsBack() throws Exception {
        relay.stop();
        link.start();
        assertThat(link.current()).isEmpty();
        assertThat(link.state()).contains("Cannot connect to the relay");
        relay.restart();
        Eventually.await(WAIT, () -> assertThat(link.registrations()).isEqualTo(1));
        assertThat(onRelay().port()).isEqualTo(link.current().orElseThrow().port());
    }

    @Test
    void closeRemovesTheRegistrationAndTheForward() throws Exception {
        link.start();
        int port = onRelay().port();
        link.close();
        assertThat(registry.resolve("laptop-proj.json")).doesNotExist();
        Eventually.await(WAIT, () -> assertThat(canConnect(port)).isFalse());
    }

    @Test
    void closeLeavesAFileThatIsNoLongerOurs() throws Exception {
        link.start();
        new LocalRegistryStore(registry).write(new Registration("laptop-proj", "other", 1, 1, "/o", Instant.now(), null,
                "instance-2", null, null, null, null));
        link.close();
        assertThat(onRelay().instanceId()).isEqualTo("instance-2");
    }

    static boolean canConnect(int port) {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
