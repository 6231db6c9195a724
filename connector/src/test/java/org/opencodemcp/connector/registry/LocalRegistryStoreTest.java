package org.opencodemcp.connector.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencodemcp.connector.opencode.ServerCredential;
import org.opencodemcp.contract.Registration;

class LocalRegistryStoreTest {

    @TempDir
    Path tmp;

    static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void writesAtomicallyWithMode0600IntoANewDirectoryMade0700() throws Exception {
        Path dir = tmp.resolve("a/b/registry");
        LocalRegistryStore store = new LocalRegistryStore(dir);
        Registration r = RegistrationExamplesTest.sample();
        store.write(r);
        store.write(r.heartbeat(Instant.parse("2026-03-14T11:00:00Z")));

        Path file = dir.resolve("laptop-proj.json");
        assertThat(mode(file)).isEqualTo("rw-------");
        assertThat(mode(dir)).isEqualTo("rwx------");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file); // no temp file left behind, no .auth without a credential
        }
        assertThat(store.read("laptop-proj").orElseThrow().heartbeatAt()).isEqualTo(Instant.parse("2026-03-14T11:00:00Z"));
        assertThat(store.list()).singleElement().satisfies(e -> assertThat(e.registration()).isPresent());
    }

    @Test
    void writesTheAuthFileFirstWith0600AndTheJsonHasNoSecret() throws Exception {
        ServerCredential secret = ServerCredential.generate();
        List<String> created = new ArrayList<>();
        LocalRegistryStore store = new LocalRegistryStore(tmp, Optional.of(secret),
                t -> created.add(t.getFileName().toString()));
        Registration r = RegistrationExamplesTest.sample();
        store.write(r);
        assertThat(created).hasSize(2);
        assertThat(created.get(0)).startsWith(".laptop-proj.auth.tmp-");
        assertThat(created.get(1)).startsWith(".laptop-proj.json.tmp-");
        Path auth = tmp.resolve("laptop-proj.auth");
        assertThat(mode(auth)).isEqualTo("rw-------");
        assertThat(Files.readString(auth)).isEqualTo(secret.authFileText());
        assertThat(store.readAuth("laptop-proj")).contains(secret);
        String password = secret.environment().get("OPENCODE_SERVER_PASSWORD");
        assertThat(Files.readString(tmp.resolve("laptop-proj.json"))).doesNotContain(password);
        assertThat(store.list()).hasSize(1); // .auth is not a registration

        assertThat(store.removeIfOwned(r.name(), r.instanceId())).isTrue();
        assertThat(auth).doesNotExist();
        try (var files = Files.list(tmp)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void removesOnlyItsOwnFiles() throws Exception {
        ServerCredential mine = ServerCredential.generate();
        LocalRegistryStore store = new LocalRegistryStore(tmp, Optional.of(mine));
        Registration r = RegistrationExamplesTest.sample();
        store.write(r);
        assertThat(store.removeIfOwned(r.name(), "someone-else")).isFalse();
        assertThat(tmp.resolve("laptop-proj.json")).exists();
        // a later launch with the same name took the name over: its secret is not ours to delete
        new LocalRegistryStore(tmp, Optional.of(ServerCredential.generate())).write(r);
        assertThat(store.removeIfOwned(r.name(), r.instanceId())).isTrue();
        assertThat(tmp.resolve("laptop-proj.json")).doesNotExist();
        assertThat(tmp.resolve("laptop-proj.auth")).exists();
        assertThat(store.removeIfOwned(r.name(), r.instanceId())).isFalse();
    }

    @Test
    void aSymlinkSwappedInForTheTempFileLeavesItsTargetUntouched() throws Exception {
        Path victim = Files.writeString(tmp.resolve("victim.txt"), "precious\n");
        String victimMode = mode(victim);
        Path dir = Files.createDirectory(tmp.resolve("registry"));
        LocalRegistryStore store = new LocalRegistryStore(dir, Optional.of(ServerCredential.generate()), t -> {
            try { // what an attacker racing the connector would do between create and write
                Files.delete(t);
                Files.createSymbolicLink(t, victim);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        assertThatThrownBy(() -> store.write(RegistrationExamplesTest.sample())).hasMessageContaining("not a regular file");
        assertThat(Files.readString(victim)).isEqualTo("precious\n");
        assertThat(mode(victim)).isEqualTo(victimMode);
        try (var files = Files.list(dir)) {
            assertThat(files).noneMatch(Files::isSymbolicLink);
        }
    }

    @Test
    void symlinksPlantedAtTheTargetNamesAreReplacedNeverFollowed() throws Exception {
        Path victim = Files.writeString(tmp.resolve("victim.txt"), "precious\n");
        Path dir = Files.createDirectory(tmp.resolve("registry"));
        Files.createSymbolicLink(dir.resolve("laptop-proj.json"), victim);
        Files.createSymbolicLink(dir.resolve("laptop-proj.auth"), victim);
        ServerCredential secret = ServerCredential.generate();
        LocalRegistryStore store = new LocalRegistryStore(dir, Optional.of(secret));

        assertThatThrownBy(() -> store.read("laptop-proj")).hasMessageContaining("not a regular file");
        assertThatThrownBy(() -> store.readAuth("laptop-proj")).hasMessageContaining("not a regular file");
        Registration r = RegistrationExamplesTest.sample();
        assertThat(store.removeIfOwned(r.name(), r.instanceId())).isFalse();
        store.write(r);
        assertThat(Files.readString(victim)).isEqualTo("precious\n");
        assertThat(dir.resolve("laptop-proj.json")).isRegularFile();
        assertThat(Files.isSymbolicLink(dir.resolve("laptop-proj.auth"))).isFalse();
        assertThat(store.readAuth("laptop-proj")).contains(secret);
    }

    @Test
    void refusesADirectoryOthersCanWriteOrSomeoneElseOwns() throws Exception {
        Path open = Files.createDirectory(tmp.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> new LocalRegistryStore(open).write(RegistrationExamplesTest.sample()))
                .hasMessageContaining("writable by every account (mode 0777)").hasMessageContaining("chmod 700 " + open)
                .hasMessageNotContaining("1777");
        assertThat(open.resolve("laptop-proj.json")).doesNotExist();
        assertThatThrownBy(() -> new LocalRegistryStore(open).checkWritable()).hasMessageContaining("mode 0777");

        Path foreign = Files.createDirectory(tmp.resolve("foreign"));
        Files.setAttribute(foreign, "unix:uid", 4242); // CI runs as root, which may give files away
        assertThatThrownBy(() -> new LocalRegistryStore(foreign).write(RegistrationExamplesTest.sample()))
                .hasMessageContaining("owned by uid 4242").hasMessageContaining("--registry-dir");
        assertThat(foreign.resolve("laptop-proj.json")).doesNotExist();
    }

    @Test
    void readsAreBoundedAndOnlyTrustA0600SecretOfItsOwn() throws Exception {
        LocalRegistryStore store = new LocalRegistryStore(tmp);
        Files.write(tmp.resolve("huge.json"), new byte[10 * 1024 * 1024]);
        assertThat(store.list()).singleElement().satisfies(e -> assertThat(e.problem()).contains("larger than"));

        Path auth = Files.writeString(tmp.resolve("x.auth"), "opencode:secret\n");
        Files.setPosixFilePermissions(auth, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> store.readAuth("x")).hasMessageContaining("mode 0644");
        Files.setPosixFilePermissions(auth, PosixFilePermissions.fromString("rw-------"));
        assertThat(store.readAuth("x")).contains(ServerCredential.parseAuthFile("opencode:secret"));
        Files.setAttribute(auth, "unix:uid", 4242);
        assertThatThrownBy(() -> store.readAuth("x")).hasMessageContaining("uid 4242");
        Path big = Files.write(tmp.resolve("y.auth"), new byte[2048]);
        Files.setPosixFilePermissions(big, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> store.readAuth("y")).hasMessageContaining("larger than 1024");
        assertThat(store.readAuth("absent")).isEmpty();
    }

    @Test
    void listsInvalidFilesWithTheReasonAndSkipsHiddenOnes() throws Exception {
        Files.writeString(tmp.resolve("broken.json"), "{\"name\":");
        Files.writeString(tmp.resolve(".x.json.tmp-1"), "{}");
        LocalRegistryStore store = new LocalRegistryStore(tmp);
        assertThat(store.list()).singleElement().satisfies(e -> {
            assertThat(e.fileName()).isEqualTo("broken.json");
            assertThat(e.problem()).contains("JSON");
        });
        store.checkWritable();
        try (var files = Files.list(tmp)) {
            assertThat(files).hasSize(2);
        }
    }
}
