package org.opencodemcp.connector.registry;

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
import org.junit.jupiter.api.io.TempDir;
import org.opencodemcp.connector.opencode.ServerCredential;
import org.opencodemcp.connector.relay.RelaySession;
import org.opencodemcp.connector.relay.RelayTarget;
import org.opencodemcp.connector.relay.SshConnector;
import org.opencodemcp.connector.relay.SshSetup;
import org.opencodemcp.connector.testing.MinaRelay;
import org.opencodemcp.testkit.SshClientKey;
import org.opencodemcp.contract.Registration;

/** The SFTP store against an embedded relay whose files are this machine's: modes and owners checked on disk. */
class SftpRegistryStoreTest {

    @TempDir
    Path tmp;

    MinaRelay relay;
    RelaySession session;

    @BeforeEach
    void setUp() throws Exception {
        SshClientKey key = SshClientKey.generate(tmp, "ecdsa");
        relay = MinaRelay.start(tmp, key);
        Path kh = relay.writeKnownHosts(tmp.resolve("known_hosts"));
        session = SshConnector.open(new RelayTarget("tester", "127.0.0.1", relay.port(), List.of(key.privateKey()),
                Map.of()), new SshSetup(Optional.empty(), Optional.of(kh), tmp, Optional.empty(), Duration.ofSeconds(5),
                Duration.ofSeconds(5), 3));
    }

    @AfterEach
    void tearDown() throws Exception {
        session.close();
        relay.close();
    }

    static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void createsTheDirectory0700AndWritesTheSecretFirstAnd0600() throws Exception {
        Path dir = tmp.resolve("relay/registry");
        ServerCredential secret = ServerCredential.generate();
        SftpRegistryStore store = new SftpRegistryStore(session, dir.toString(), Optional.of(secret));
        Registration r = RegistrationExamplesTest.sample();
        store.write(r);
        assertThat(mode(dir)).isEqualTo("rwx------");
        assertThat(mode(dir.resolve("laptop-proj.auth"))).isEqualTo("rw-------");
        assertThat(mode(dir.resolve("laptop-proj.json"))).isEqualTo("rw-------");
        assertThat(Files.readString(dir.resolve("laptop-proj.auth"))).isEqualTo(secret.authFileText());
        assertThat(Files.readString(dir.resolve("laptop-proj.json")))
                .doesNotContain(secret.environment().get("OPENCODE_SERVER_PASSWORD"));
        assertThat(store.readAuth("laptop-proj")).contains(secret);
        try (var files = Files.list(dir)) {
            assertThat(files).hasSize(2); // no temp or owner-check file left behind
        }
        assertThat(store.removeIfOwned(r.name(), r.instanceId())).isTrue();
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void refusesADirectoryOthersCanWriteOrSomeoneElseOwnsAndTightensItsOwn() throws Exception {
        Path open = Files.createDirectories(tmp.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> new SftpRegistryStore(session, open.toString()).write(RegistrationExamplesTest.sample()))
                .hasMessageContaining("writable by every account (mode 0777)").hasMessageContaining("chmod 700 " + open)
                .hasMessageNotContaining("1777");
        assertThat(open.resolve("laptop-proj.json")).doesNotExist();

        Path foreign = Files.createDirectories(tmp.resolve("foreign"));
        Files.setAttribute(foreign, "unix:uid", 4242);
        assertThatThrownBy(() -> new SftpRegistryStore(session, foreign.toString()).write(RegistrationExamplesTest.sample()))
                .hasMessageContaining("owned by uid 4242");
        try (var files = Files.list(foreign)) {
            assertThat(files).isEmpty();
        }

        Path readable = Files.createDirectories(tmp.resolve("readable"));
        Files.setPosixFilePermissions(readable, PosixFilePermissions.fromString("rwxr-xr-x"));
        new SftpRegistryStore(session, readable.toString()).write(RegistrationExamplesTest.sample());
        assertThat(mode(readable)).isEqualTo("rwx------");
    }

    @Test
    void readBacksAreBoundedBeforeReading() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("bounded"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Files.write(dir.resolve("huge.json"), new byte[10 * 1024 * 1024]);
        Files.createSymbolicLink(dir.resolve("link.json"), dir.resolve("huge.json"));
        SftpRegistryStore store = new SftpRegistryStore(session, dir.toString());
        assertThat(store.list()).extracting(RegistryEntry::problem)
                .containsExactly("huge.json is larger than 65536 bytes", "link.json is not a regular file");
        assertThatThrownBy(() -> store.read("huge")).hasMessageContaining("larger than");
    }
}
