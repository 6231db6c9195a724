package org.opencodemcp.connector.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
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
import org.junit.jupiter.api.Timeout;
import org.opencodemcp.connector.config.Settings;
import org.opencodemcp.connector.opencode.Health;
import org.opencodemcp.connector.opencode.MiniHttp;
import org.opencodemcp.connector.opencode.ServerCredential;
import org.opencodemcp.connector.registry.LocalRegistryStore;
import org.opencodemcp.contract.Registration;
import org.opencodemcp.connector.relay.RelayTarget;
import org.opencodemcp.connector.relay.SshSetup;
import org.opencodemcp.connector.testing.OpenCodeEnv;
import org.opencodemcp.connector.testing.SecondUser;
import org.opencodemcp.testkit.Eventually;
import org.opencodemcp.testkit.OpenSshServer;
import org.opencodemcp.testkit.SshClientKey;

/**
 * Issue 11 from the connector's side, with the real opencode: another account on the machine (a relay
 * co-tenant, made with useradd) reaches the port and is refused by opencode itself, while the connector,
 * holding the per-launch secret, works; the secret is in {@code <name>.auth} (0600) and nowhere else.
 */
@Timeout(180)
class TrustBoundaryIT {

    OpenCodeEnv oc;
    SecondUser eve;

    @BeforeEach
    void setUp() throws Exception {
        eve = SecondUser.create();
        oc = OpenCodeEnv.create();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (oc != null) {
            oc.close();
        }
        if (eve != null) {
            eve.close();
        }
    }

    @Test
    void anotherAccountIsRefusedAtTheLocalPortWhileTheConnectorWorks() throws Exception {
        Settings s = oc.settings();
        Path dir = Path.of(s.registryDir());
        LocalRegistryStore registry = new LocalRegistryStore(dir);
        Connector c = Connector.start(s);
        try {
            Registration r = registry.read("it-instance").orElseThrow();
            ServerCredential secret = checkAuthFile(dir.resolve("it-instance.auth"));
            String password = secret.environment().get("OPENCODE_SERVER_PASSWORD");
            assertThat(Files.readString(dir.resolve("it-instance.json"))).doesNotContain(password);
            checkOnlyInTheEnvironment(c.opencodePid(), password);

            assertThat(eve.httpGet(r.port(), "/global/health")).startsWith("HTTP/1.1 401");
            assertThat(eve.httpGet(r.port(), "/session")).startsWith("HTTP/1.1 401");
            assertThat(MiniHttp.getLocal(r.port(), "/global/health", Optional.empty(), Duration.ofSeconds(5)).status())
                    .isEqualTo(401);
            assertThat(Health.parse(MiniHttp.getLocal(r.port(), "/global/health", Optional.of(secret.header()),
                    Duration.ofSeconds(5))).healthy()).isTrue();
            // the connector's own health checks carry the secret: heartbeats keep coming
            Eventually.await(Duration.ofSeconds(10), () -> assertThat(registry.read("it-instance").orElseThrow()
                    .heartbeatAt()).isAfter(r.heartbeatAt()));
        } finally {
            assertThat(c.stop()).isEqualTo(143);
        }
        assertThat(dir.resolve("it-instance.json")).doesNotExist();
        assertThat(dir.resolve("it-instance.auth")).doesNotExist();
    }

    @Test
    void thePersonsOwnPasswordWinsAndIsPublishedForTheServer() throws Exception {
        Map<String, String> env = new java.util.HashMap<>(oc.env());
        env.put("OPENCODE_SERVER_PASSWORD", "my-own-password");
        Settings base = oc.settings();
        Settings s = new Settings(base.relay(), base.ssh(), base.registryDir(), base.name(), base.opencode(), true,
                List.of(), base.cwd(), env, base.portRange(), base.timing(), false);
        try (Connector c = Connector.start(s)) {
            Path auth = Path.of(s.registryDir(), "it-instance.auth");
            assertThat(Files.readString(auth)).isEqualTo("opencode:my-own-password\n");
            int port = c.localPort();
            assertThat(eve.httpGet(port, "/global/health")).startsWith("HTTP/1.1 401");
            assertThat(Health.parse(MiniHttp.getLocal(port, "/global/health", Optional.of(ServerCredential.fromEnv(env)
                    .orElseThrow().header()), Duration.ofSeconds(5))).healthy()).isTrue();
        }
    }

    @Test
    void anotherAccountOnTheRelayIsRefusedAtTheTunnelPort() throws Exception {
        OpenSshServer.requireSshd();
        Path sshDir = Files.createDirectories(oc.root().resolve("sshd"));
        SshClientKey key = SshClientKey.generate(sshDir);
        try (OpenSshServer sshd = OpenSshServer.start(sshDir, key)) {
            RelayTarget target = new RelayTarget(System.getProperty("user.name"), "127.0.0.1", sshd.port(),
                    List.of(key.privateKey()), Map.of());
            SshSetup ssh = new SshSetup(Optional.empty(), Optional.of(sshd.writeKnownHosts(sshDir.resolve("kh"))),
                    sshDir, Optional.empty(), Duration.ofSeconds(10), Duration.ofSeconds(5), 3);
            Path dir = oc.root().resolve("relay-registry");
            Settings s = oc.settings().withRelay(target, ssh).withRegistryDir(dir.toString());
            Connector c = Connector.start(s);
            try {
                // written only after a round trip through the tunnel, which needs the secret; start() returns after the link's first attempt, which may fail and reconnect: the registration comes with the one that succeeds
                Eventually.await(Duration.ofSeconds(30), () -> assertThat(new LocalRegistryStore(dir).read("it-instance")).isPresent());
                Registration r = new LocalRegistryStore(dir).read("it-instance").orElseThrow(
                        () -> new AssertionError(sshd.log()));
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
                ServerCredential secret = checkAuthFile(dir.resolve("it-instance.auth"));
                assertThat(eve.httpGet(r.port(), "/global/health")).startsWith("HTTP/1.1 401");
                assertThat(Health.parse(MiniHttp.getLocal(r.port(), "/global/health", Optional.of(secret.header()),
                        Duration.ofSeconds(5))).healthy()).isTrue();
            } finally {
                assertThat(c.stop()).isEqualTo(143);
            }
            assertThat(dir.resolve("it-instance.json")).doesNotExist();
            assertThat(dir.resolve("it-instance.auth")).doesNotExist();
        }
    }

    /** The {@code .auth} file: mode 0600, one {@code opencode:<43 base64url chars>} line. */
    static ServerCredential checkAuthFile(Path auth) throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(auth))).isEqualTo("rw-------");
        String text = Files.readString(auth);
        assertThat(text).matches("opencode:[A-Za-z0-9_-]{43}\n");
        return ServerCredential.parseAuthFile(text);
    }

    /** The password is in opencode's environment and not in its command line (which every account can read). */
    static void checkOnlyInTheEnvironment(long pid, String password) throws Exception {
        String cmdline = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"), StandardCharsets.ISO_8859_1);
        assertThat(cmdline).contains("--port").doesNotContain(password);
        String environ = Files.readString(Path.of("/proc", Long.toString(pid), "environ"), StandardCharsets.ISO_8859_1);
        assertThat(environ).contains("OPENCODE_SERVER_PASSWORD=" + password);
        for (ProcessHandle child : ProcessHandle.of(pid).orElseThrow().descendants().toList()) {
            Path childCmd = Path.of("/proc", Long.toString(child.pid()), "cmdline");
            if (Files.exists(childCmd)) {
                assertThat(Files.readString(childCmd, StandardCharsets.ISO_8859_1)).doesNotContain(password);
            }
        }
    }
}
