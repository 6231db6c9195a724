package org.opencodemcp.connector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencodemcp.connector.Main;
import org.opencodemcp.connector.opencode.ServerCredential;
import org.opencodemcp.connector.registry.LocalRegistryStore;
import org.opencodemcp.contract.Registration;
import org.opencodemcp.connector.run.Hostnames;
import org.opencodemcp.connector.run.LinkStateFile;
import org.opencodemcp.testkit.Eventually;
import org.opencodemcp.testkit.SshClientKey;
import org.opencodemcp.connector.testing.HeaderRecorder;
import org.opencodemcp.connector.testing.MinaRelay;
import org.opencodemcp.testkit.FakeOpenCode;

/** {@code status} and {@code doctor} against an embedded relay, run in-process through {@link Main#execute}. */
class StatusAndDoctorTest {

    @TempDir
    Path tmp;

    MinaRelay relay;
    SshClientKey key;
    Path knownHosts;
    PrintStream realOut;
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() throws Exception {
        key = SshClientKey.generate(tmp, "ecdsa");
        relay = MinaRelay.start(tmp, key);
        knownHosts = relay.writeKnownHosts(tmp.resolve("known_hosts"));
        realOut = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void tearDown() throws Exception {
        System.setOut(realOut);
        relay.close();
    }

    Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", tmp.toString());
        env.put("RELAY_SSH_CMD", "ssh -p " + relay.port() + " -i " + key.privateKey() + " tester@127.0.0.1");
        env.put("RELAY_REGISTRY_DIR", tmp.resolve("registry").toString());
        return env;
    }

    int run(String... args) {
        return Main.execute(args, env(), false);
    }

    @Test
    void statusListsRegistrationsWithTheirHealthSeenFromTheRelay() throws Exception {
        try (FakeOpenCode alive = FakeOpenCode.start("/a")) {
            LocalRegistryStore store = new LocalRegistryStore(tmp.resolve("registry"));
            store.write(new Registration("up", Hostnames.local(), alive.port(), 4100, "/a", Instant.now(), null, "i1",
                    null, null, null, null));
            store.write(new Registration("down", "elsewhere", 1, 4101, "/b", Instant.now(), null, "i2", null, null,
                    null, null));
            int code = run("status", "--known-hosts", knownHosts.toString(), "--ssh-config", "none", "--no-agent");
            String text = out.toString(StandardCharsets.UTF_8);
            assertThat(code).as(text).isZero();
            assertThat(text).contains("Registry: relay tester@127.0.0.1:" + relay.port());
            assertThat(text).containsPattern("\\* up .* ok " + FakeOpenCode.VERSION);
            assertThat(text).containsPattern("down .* UNREACHABLE");
        }
    }

    @Test
    void statusShowsAConnectorHereThatIsReconnectingAndWhy() throws Exception {
        try (LinkStateFile state = LinkStateFile.start(env(), "laptop-proj",
                () -> "reconnecting; last problem: Cannot connect to the relay")) {
            Eventually.await(Duration.ofSeconds(10), () -> assertThat(LinkStateFile.running(env())).hasSize(1));
            int code = run("status", "--known-hosts", knownHosts.toString(), "--ssh-config", "none", "--no-agent");
            String text = out.toString(StandardCharsets.UTF_8);
            assertThat(code).as(text).isZero();
            assertThat(text).contains("Running here: laptop-proj (pid " + ProcessHandle.current().pid()
                    + "): reconnecting; last problem: Cannot connect to the relay");
        }
        assertThat(LinkStateFile.running(env())).isEmpty(); // removed when the connector ends
    }

    @Test
    void statusSendsEachPasswordOnlyToItsOwnRegistrationsPort() throws Exception {
        ServerCredential published = ServerCredential.generate();
        try (HeaderRecorder mine = HeaderRecorder.start(); HeaderRecorder mineOld = HeaderRecorder.start();
             HeaderRecorder theirs = HeaderRecorder.start(); HeaderRecorder tampered = HeaderRecorder.start()) {
            Path dir = tmp.resolve("registry");
            new LocalRegistryStore(dir, Optional.of(published)).write(registration("mine", Hostnames.local(),
                    mine.port()));
            LocalRegistryStore plain = new LocalRegistryStore(dir);
            plain.write(registration("mine-old", Hostnames.local(), mineOld.port())); // no .auth: an older connector
            plain.write(registration("theirs", "elsewhere", theirs.port()));
            plain.write(registration("tampered", "elsewhere", tampered.port()));
            Path loose = Files.writeString(dir.resolve("tampered.auth"), "opencode:planted\n");
            Files.setPosixFilePermissions(loose, PosixFilePermissions.fromString("rw-r--r--"));

            Map<String, String> env = env();
            env.put("OPENCODE_SERVER_PASSWORD", "laptop-password");
            int code = Main.execute(new String[] {"status", "--known-hosts", knownHosts.toString(), "--ssh-config",
                    "none", "--no-agent"}, env, false);
            String text = out.toString(StandardCharsets.UTF_8);
            assertThat(code).as(text).isZero();
            assertThat(mine.authorizations()).containsExactly(published.header());
            assertThat(mineOld.authorizations()).containsExactly(ServerCredential.fromEnv(env).orElseThrow().header());
            assertThat(theirs.requests()).isNotEmpty();
            assertThat(theirs.authorizations()).isEmpty();
            assertThat(tampered.requests()).isEmpty();
            assertThat(text).containsPattern("tampered .* not probed: tampered.auth .* mode 0644");
            assertThat(text).doesNotContain("laptop-password", published.environment().get("OPENCODE_SERVER_PASSWORD"));
        }
    }

    @Test
    void statusSendsNoPasswordIntoARegistryOthersCanWrite() throws Exception {
        try (HeaderRecorder planted = HeaderRecorder.start()) {
            Path dir = tmp.resolve("shared");
            new LocalRegistryStore(dir).write(registration("looks-like-mine", Hostnames.local(), planted.port()));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
            Map<String, String> env = env();
            env.remove("RELAY_SSH_CMD");
            env.put("RELAY_REGISTRY_DIR", dir.toString());
            env.put("OPENCODE_SERVER_PASSWORD", "laptop-password");
            int code = Main.execute(new String[] {"status"}, env, false);
            String text = out.toString(StandardCharsets.UTF_8);
            assertThat(code).as(text).isZero();
            assertThat(text).contains("WARNING: the registry directory " + dir + " is writable by every account",
                    "No password is sent");
            assertThat(planted.requests()).isNotEmpty();
            assertThat(planted.authorizations()).isEmpty();
        }
    }

    static Registration registration(String name, String hostname, int port) {
        return new Registration(name, hostname, port, 4100, "/p/" + name, Instant.now(), null, "id-" + name, null,
                null, null, null);
    }

    @Test
    void doctorChecksEverythingUpToARoundTrip() {
        int code = run("doctor", "--opencode", "/bin/true", "--known-hosts", knownHosts.toString(), "--ssh-config",
                "none", "--no-agent");
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("[ ok ] opencode", "[ ok ] host key and login", "[ ok ] registry directory",
                "[ ok ] reverse tunnel", "[ ok ] round trip", "All checks passed.");
        // the relay is on this machine's loopback: nothing public to try, and doctor says so
        assertThat(text).contains("[ ok ] tunnel exposure: skipped: the relay address 127.0.0.1:", "loopback");
        assertThat(code).as(text).isZero();
    }

    @Test
    void doctorSaysHowToTrustAnUnknownHostKey() {
        int code = run("doctor", "--opencode", "/no/such/opencode", "--known-hosts", tmp.resolve("empty").toString(),
                "--ssh-config", "none", "--no-agent");
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(code).isEqualTo(1);
        assertThat(text).contains("[FAIL] opencode: cannot run '/no/such/opencode'", "npm i -g opencode-ai");
        assertThat(text).contains("[FAIL] host key and login", "ssh-keyscan -p " + relay.port() + " 127.0.0.1");
    }
}
