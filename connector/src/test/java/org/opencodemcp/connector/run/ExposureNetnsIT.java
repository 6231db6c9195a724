package org.opencodemcp.connector.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.opencodemcp.connector.config.Settings;
import org.opencodemcp.connector.registry.LocalRegistryStore;
import org.opencodemcp.contract.Registration;
import org.opencodemcp.connector.relay.RelayTarget;
import org.opencodemcp.connector.relay.SshSetup;
import org.opencodemcp.connector.testing.NetNamespace;
import org.opencodemcp.connector.testing.OpenCodeEnv;
import org.opencodemcp.testkit.Eventually;
import org.opencodemcp.testkit.OpenSshServer;
import org.opencodemcp.testkit.SshClientKey;

/**
 * The exposure check against the real case (issues 11 and 13): the relay's OpenSSH sshd in a network
 * namespace of its own with a non-loopback address. With GatewayPorts yes sshd ignores the 127.0.0.1
 * bind and the tunnel listens on the relay's address: the connector must close it and say why. With
 * GatewayPorts no the tunnel stays on the relay's loopback and the connector registers.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class ExposureNetnsIT {

    OpenCodeEnv oc;
    NetNamespace ns;
    OpenSshServer sshd;
    SshClientKey key;
    Path dir;

    @BeforeEach
    void setUp() {
        NetNamespace.requireSupport();
        OpenSshServer.requireSshd();
        oc = OpenCodeEnv.create();
        ns = NetNamespace.create();
    }

    @AfterEach
    void tearDown() {
        if (sshd != null) {
            sshd.close();
        }
        if (ns != null) {
            ns.close(); // also when the test failed: the namespace and its veth pair go
        }
        if (oc != null) {
            oc.close();
        }
    }

    Settings relayIn(String gatewayPorts) throws Exception {
        dir = Files.createDirectories(oc.root().resolve("sshd"));
        key = SshClientKey.generate(dir);
        sshd = OpenSshServer.start(dir, key, new OpenSshServer.Options(ns.address(), gatewayPorts, ns.prefix()));
        RelayTarget target = new RelayTarget(System.getProperty("user.name"), ns.address(), sshd.port(),
                List.of(key.privateKey()), Map.of());
        SshSetup ssh = new SshSetup(Optional.empty(), Optional.of(sshd.writeKnownHosts(dir.resolve("known_hosts"))),
                dir, Optional.empty(), Duration.ofSeconds(10), Duration.ofSeconds(5), 3);
        return oc.settings().withRelay(target, ssh).withRegistryDir(oc.root().resolve("relay-registry").toString());
    }

    boolean reachable(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(ns.address(), port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void gatewayPortsYesTheConnectorClosesTheTunnelAndSaysWhy() throws Exception {
        Settings s = relayIn("yes");
        LocalRegistryStore registry = new LocalRegistryStore(Path.of(s.registryDir()));
        Connector c = Connector.start(s);
        int code = CompletableFuture.supplyAsync(c::awaitExit).get(60, TimeUnit.SECONDS);
        assertThat(code).isEqualTo(Connector.LINK_LOST);
        assertThat(c.state()).contains("reachable from the network", "GatewayPorts no", "clientspecified",
                "--allow-exposed-tunnel", ns.address());
        assertThat(registry.read("it-instance")).isEmpty();
        Matcher m = Pattern.compile("tunnel at " + Pattern.quote(ns.address()) + ":(\\d+)").matcher(c.state());
        assertThat(m.find()).as(c.state()).isTrue();
        int tunnel = Integer.parseInt(m.group(1));
        Eventually.await(Duration.ofSeconds(10), () -> assertThat(reachable(tunnel)).as("tunnel closed").isFalse());
    }

    @Test
    void gatewayPortsNoTheTunnelStaysOnTheRelaysLoopbackAndIsRegistered() throws Exception {
        Settings s = relayIn("no");
        LocalRegistryStore registry = new LocalRegistryStore(Path.of(s.registryDir()));
        try (Connector c = Connector.start(s)) {
            // start() returns after the link's first attempt, which may fail and reconnect: the registration comes with the one that succeeds
            Eventually.await(Duration.ofSeconds(30), () -> assertThat(registry.read("it-instance")).isPresent());
            Registration r = registry.read("it-instance").orElseThrow(() -> new AssertionError(c.state() + "\n"
                    + sshd.log()));
            assertThat(reachable(r.port())).as("tunnel reachable from outside the relay").isFalse();
            Eventually.await(Duration.ofSeconds(10), () -> assertThat(registry.read("it-instance").orElseThrow()
                    .heartbeatAt()).isAfter(r.heartbeatAt()));
            assertThat(c.state()).startsWith("registered");
            assertThat(c.stop()).isEqualTo(143);
        }
    }
}
