package org.opencodemcp.server.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opencodemcp.server.opencode.Credentials;
import org.opencodemcp.server.support.Ownership;
import org.opencodemcp.testkit.TempDirs;

class AuthFileTest {
    private Path dir;
    private Path registration;

    @BeforeEach
    void setUp() {
        dir = TempDirs.create("auth-");
        registration = dir.resolve("alice-laptop.json");
    }

    @AfterEach
    void tearDown() {
        TempDirs.deleteRecursively(dir);
    }

    @Test
    void aGoodFileGivesItsPairAndATrailingNewlineIsIgnored() {
        Ownership.writeAuth(dir, "alice-laptop", "opencode:s3cr3t:with-colon\n");
        assertThat(AuthFile.read(registration)).isEqualTo(new AuthFile.Found(new Credentials("opencode", "s3cr3t:with-colon")));
    }

    @Test
    void noFileMeansTheServerWideFallback() {
        assertThat(AuthFile.read(registration)).isInstanceOf(AuthFile.Absent.class);
    }

    @Test
    void readableByOthersIsRefusedWithoutQuotingTheSecret() {
        Ownership.chmod(Ownership.writeAuth(dir, "alice-laptop", "opencode:s3cr3t"), "rw-r--r--");
        AuthFile.Result r = AuthFile.read(registration);
        assertThat(r).isInstanceOf(AuthFile.Bad.class);
        assertThat(((AuthFile.Bad) r).reason()).contains("alice-laptop.auth").contains("mode 0644").doesNotContain("s3cr3t");
    }

    @Test
    void ownedByAnotherUserIsRefused() {
        Ownership.assumeCanChown();
        Ownership.giveToOtherUser(Ownership.writeAuth(dir, "alice-laptop", "opencode:s3cr3t"));
        assertThat(((AuthFile.Bad) AuthFile.read(registration)).reason()).contains("owned by uid " + Ownership.OTHER_UID);
    }

    @Test
    void aSymlinkTooBigOrMalformedFileIsRefused() throws Exception {
        Path target = Ownership.writeAuth(dir, "target", "opencode:s3cr3t");
        Files.createSymbolicLink(dir.resolve("alice-laptop.auth"), target);
        assertThat(((AuthFile.Bad) AuthFile.read(registration)).reason()).contains("symbolic link");
        Files.delete(dir.resolve("alice-laptop.auth"));

        Ownership.writeAuth(dir, "alice-laptop", "opencode:" + "x".repeat(2000));
        assertThat(((AuthFile.Bad) AuthFile.read(registration)).reason()).contains("limit");
        for (String bad : new String[] {"no-colon", ":nopassuser", "user:", "user:pa\nss", "a:b\n\n"}) {
            Ownership.writeAuth(dir, "alice-laptop", bad);
            assertThat(AuthFile.read(registration)).as(bad).isInstanceOf(AuthFile.Bad.class);
        }
    }

    @Test
    void namesPairUp() {
        assertThat(AuthFile.beside(registration)).isEqualTo(dir.resolve("alice-laptop.auth"));
        assertThat(AuthFile.registrationFor(dir.resolve("alice-laptop.auth"))).isEqualTo(registration);
        assertThat(AuthFile.isAuthFile(dir.resolve(".x.auth"))).isFalse();
        assertThat(RegistryFile.isCandidate(dir.resolve("alice-laptop.auth"))).isFalse();
        assertThat(RegistryFile.isCandidate(dir.resolve("evil\n# heading.json"))).isFalse();
    }
}
