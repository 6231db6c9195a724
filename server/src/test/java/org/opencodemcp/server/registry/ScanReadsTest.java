package org.opencodemcp.server.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.opencodemcp.testkit.TempDirs;

/** A scan's reads, done ahead on one opener thread: the same results as file-by-file reads, and a FIFO still never blocks the scan. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ScanReadsTest {
    private final Path dir = TempDirs.create("scan-");

    @AfterEach
    void cleanUp() {
        TempDirs.deleteRecursively(dir);
    }

    @Test
    void eachFileReadsAsItWouldOnItsOwn() throws Exception {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            files.add(Files.writeString(dir.resolve("i-" + i + ".json"), "{\"n\":" + i + "}"));
        }
        files.add(dir.resolve("gone.json")); // listed, then removed before it was read
        Path wide = Files.writeString(dir.resolve("wide.json"), "{}");
        Files.setPosixFilePermissions(wide, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
        files.add(wide);

        ScanReads scan = ScanReads.start(files);
        for (int i = 0; i < files.size(); i++) {
            RegistryFile.Read batched = scan.read(i);
            RegistryFile.Read alone = RegistryFile.read(files.get(i));
            assertThat(batched.getClass()).isEqualTo(alone.getClass());
            if (alone instanceof RegistryFile.Content c) {
                assertThat(((RegistryFile.Content) batched).bytes()).isEqualTo(c.bytes());
            } else if (alone instanceof RegistryFile.Problem p) {
                assertThat(((RegistryFile.Problem) batched).reason()).isEqualTo(p.reason());
            }
        }
    }

    /** A read the registry thread has taken is not kept by the scan (MisbehavingFleetIT: 1,500 files of 60 KiB in 64 MiB). */
    @Test
    void aTakenReadIsNotKept() throws Exception {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            files.add(Files.write(dir.resolve("big-" + i + ".json"), new byte[60 * 1024]));
        }
        ScanReads scan = ScanReads.start(files);
        java.lang.ref.WeakReference<byte[]> taken = new java.lang.ref.WeakReference<>(((RegistryFile.Content) scan.read(0)).bytes());
        for (int round = 0; round < 50 && taken.get() != null; round++) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(taken.get()).as("the bytes of a taken read").isNull();
        assertThat(scan.read(1)).isInstanceOf(RegistryFile.Content.class); // the scan goes on
    }

    /** The opener reads at most a window ahead: the bytes held stay bounded however many files a scan has. */
    @Test
    void theOpenerReadsAtMostAWindowAhead() throws Exception {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            files.add(Files.writeString(dir.resolve("w-" + i + ".json"), "{}"));
        }
        java.util.concurrent.atomic.AtomicInteger readsDone = new java.util.concurrent.atomic.AtomicInteger();
        ScanReads scan = ScanReads.start(files, f -> {
            readsDone.incrementAndGet();
            return RegistryFile.read(f);
        });
        Thread.sleep(500);
        assertThat(readsDone.get()).isEqualTo(ScanReads.AHEAD);
        for (int i = 0; i < files.size(); i++) {
            assertThat(scan.read(i)).isInstanceOf(RegistryFile.Content.class);
            assertThat(readsDone.get()).isLessThanOrEqualTo(i + 1 + ScanReads.AHEAD);
        }
    }

    /**
     * A FIFO swapped in after its type was checked blocks the opener thread's open: that file is
     * reported as blocked after the open limit, the opener is released, and the files after it are
     * read one by one as before the batch.
     */
    @Test
    void aBlockingOpenIsGivenUpAndTheRestOfTheScanIsReadFileByFile() throws Exception {
        Path before = Files.writeString(dir.resolve("before.json"), "{}");
        Path fifo = dir.resolve("swapped.json");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(mkfifo.waitFor()).isZero();
        Path after = Files.writeString(dir.resolve("after.json"), "{\"a\":1}");

        // the opener's read opens without looking first, as a race would have it
        ScanReads scan = ScanReads.start(List.of(before, fifo, after), f -> {
            try (InputStream in = Files.newInputStream(f, LinkOption.NOFOLLOW_LINKS)) {
                return new RegistryFile.Content(in.readAllBytes(), null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        assertThat(scan.read(0)).isInstanceOf(RegistryFile.Content.class);
        long t0 = System.nanoTime();
        RegistryFile.Read blocked = scan.read(1);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        assertThat(blocked).isInstanceOf(RegistryFile.Problem.class);
        assertThat(((RegistryFile.Problem) blocked).reason()).contains("not a regular file");
        RegistryFile.Read rest = scan.read(2);
        assertThat(rest).isInstanceOf(RegistryFile.Content.class);
        assertThat(new String(((RegistryFile.Content) rest).bytes(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
    }
}
