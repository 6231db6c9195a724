package org.opencodemcp.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
    @TempDir
    Path dir;

    @Test
    void writesMode0600AndLeavesNoTempFile() throws Exception {
        AtomicFile.write(dir, "a.json", "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(Files.readString(dir.resolve("a.json"))).isEqualTo("{}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a.json")))).isEqualTo("rw-------");
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()).toList()).containsExactly("a.json");
        }
    }

    @Test
    void theTempFileIsHiddenAndAlready0600BeforeAByteIsWritten() throws Exception {
        AtomicBoolean checked = new AtomicBoolean();
        AtomicFile.write(dir, "a.json", "secret".getBytes(StandardCharsets.UTF_8), tmp -> {
            assertThat(tmp.getFileName().toString()).startsWith(".a.json.tmp-");
            assertThat(RegistryFiles.isRegistrationFileName(tmp.getFileName().toString())).isFalse();
            try {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp))).isEqualTo("rw-------");
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
            checked.set(true);
        });
        assertThat(checked).isTrue();
    }

    @Test
    void replacesASymlinkInsteadOfFollowingIt() throws Exception {
        Path elsewhere = Files.writeString(dir.resolve("elsewhere.txt"), "keep");
        Files.createSymbolicLink(dir.resolve("a.json"), elsewhere);
        AtomicFile.write(dir, "a.json", "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(Files.isSymbolicLink(dir.resolve("a.json"))).isFalse();
        assertThat(Files.readString(elsewhere)).isEqualTo("keep");
    }

    @Test
    void aTempFileSwappedForALinkIsTakenAwayAndReported() throws Exception {
        Path elsewhere = Files.writeString(dir.resolve("elsewhere.txt"), "keep");
        assertThatThrownBy(() -> AtomicFile.write(dir, "a.json", "{}".getBytes(StandardCharsets.UTF_8), tmp -> {
            try {
                Files.delete(tmp);
                Files.createSymbolicLink(tmp, elsewhere);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        })).hasMessageContaining("not a regular file");
        assertThat(Files.exists(dir.resolve("a.json"), LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(Files.readString(elsewhere)).isEqualTo("keep");
    }

    @Test
    @Timeout(30)
    void aReaderNeverSeesHalfAFile() throws Exception {
        byte[] big = ("{\"pad\":\"" + "x".repeat(60_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] small = "{}".getBytes(StandardCharsets.UTF_8);
        AtomicFile.write(dir, "a.json", small);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger reads = new AtomicInteger();
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            Future<?> done = reader.submit(() -> {
                while (!stop.get()) {
                    byte[] seen = Files.readAllBytes(dir.resolve("a.json"));
                    assertThat(seen.length).isIn(big.length, small.length);
                    reads.incrementAndGet();
                }
                return null;
            });
            for (int i = 0; i < 300; i++) {
                AtomicFile.write(dir, "a.json", i % 2 == 0 ? big : small);
            }
            stop.set(true);
            done.get(20, TimeUnit.SECONDS);
        } finally {
            reader.shutdownNow();
        }
        assertThat(reads.get()).isPositive();
    }
}
