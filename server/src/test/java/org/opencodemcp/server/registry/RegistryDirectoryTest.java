package org.opencodemcp.server.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opencodemcp.server.support.Ownership;
import org.opencodemcp.testkit.TempDirs;

class RegistryDirectoryTest {
    private Path parent;

    @BeforeEach
    void setUp() {
        parent = TempDirs.create("registry-parent-");
    }

    @AfterEach
    void tearDown() {
        TempDirs.deleteRecursively(parent);
    }

    @Test
    void aMissingDirectoryIsCreatedPrivate() throws Exception {
        Path dir = parent.resolve("relay");
        assertThat(RegistryDirectory.prepare(dir)).isNull();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
    }

    @Test
    void aWorldWritableDirectoryIsRefusedWithTheFix() throws Exception {
        Path dir = Files.createDirectory(parent.resolve("relay"));
        Ownership.chmod(dir, "rwxrwxrwx");
        assertThat(RegistryDirectory.prepare(dir)).contains("refusing the registry directory " + dir)
                .contains("writable by group or others (mode 0777)").contains("chmod 700 " + dir);
        Ownership.chmod(dir, "rwxr-xr-x");
        assertThat(RegistryDirectory.prepare(dir)).as("readable by others is fine: registrations hold no secret").isNull();
    }

    @Test
    void aDirectoryOwnedByAnotherUserIsRefused() throws Exception {
        Ownership.assumeCanChown();
        Path dir = Files.createDirectory(parent.resolve("relay"));
        Ownership.giveToOtherUser(dir);
        assertThat(RegistryDirectory.prepare(dir)).contains("owned by uid " + Ownership.OTHER_UID)
                .contains("RELAY_REGISTRY_DIR");
    }

    @Test
    void aSymbolicLinkIsRefused() throws Exception {
        Path real = Files.createDirectory(parent.resolve("real"));
        Path link = Files.createSymbolicLink(parent.resolve("relay"), real);
        assertThat(RegistryDirectory.prepare(link)).contains("symbolic link");
    }
}
