package org.opencodemcp.connector.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalRegistryStoreTest {

    @TempDir
    Path tmp;

    @Test
    void writesAtomicallyWithMode0600IntoANewDirectory() throws Exception {
        Path dir = tmp.resolve("a/b/registry");
        LocalRegistryStore store = new LocalRegistryStore(dir);
        Registration r = RegistrationJsonTest.sample();
        store.write(r);
        store.write(r.heartbeat(Instant.parse("2026-03-14T11:00:00Z")));

        Path file = dir.resolve("laptop-proj.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file); // no temp file left behind
        }
        assertThat(store.read("laptop-proj").orElseThrow().heartbeatAt()).isEqualTo(Instant.parse("2026-03-14T11:00:00Z"));
        assertThat(store.list()).singleElement().satisfies(e -> assertThat(e.registration()).isPresent());
    }

    @Test
    void removesOnlyItsOwnFile() throws Exception {
        LocalRegistryStore store = new LocalRegistryStore(tmp);
        Registration r = RegistrationJsonTest.sample();
        store.write(r);
        assertThat(store.removeIfOwned(r.name(), "someone-else")).isFalse();
        assertThat(tmp.resolve("laptop-proj.json")).exists();
        assertThat(store.removeIfOwned(r.name(), r.instanceId())).isTrue();
        assertThat(tmp.resolve("laptop-proj.json")).doesNotExist();
        assertThat(store.removeIfOwned(r.name(), r.instanceId())).isFalse();
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
