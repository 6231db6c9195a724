package org.opencodemcp.server.support;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.opencodemcp.testkit.TempDirs;

/**
 * A small tmpfs of the test's own: a real file system that runs out of space, for "disk full" while
 * the server writes. Needs root and {@code mount} (util-linux, in every Debian base image); under
 * CI=true their absence fails the test, elsewhere it is skipped. {@link #close()} unmounts (lazily
 * if something still holds a file) and deletes the mount point.
 */
public final class Tmpfs implements AutoCloseable {
    private static final String HOW = "run the tests as root with util-linux's mount (scripts/test in CI runs as root)";

    private final Path dir;

    private Tmpfs(Path dir) {
        this.dir = dir;
    }

    public static void requireSupport() {
        boolean mount = Files.isExecutable(Path.of("/bin/mount")) || Files.isExecutable(Path.of("/usr/bin/mount"));
        boolean root = "root".equals(System.getProperty("user.name"));
        if ((!mount || !root) && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("a tmpfs needs mount and root under CI=true: " + HOW);
        }
        Assumptions.assumeTrue(mount && root, "a tmpfs needs mount and root: " + HOW);
    }

    /** Mounts a tmpfs of {@code size} (mount's syntax: "2m") with mode 0700 on a new temp folder. */
    public static Tmpfs mount(String size) {
        requireSupport();
        Path dir = TempDirs.create("tmpfs-");
        try {
            run("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0700", "tmpfs", dir.toString());
        } catch (RuntimeException | Error e) {
            TempDirs.deleteRecursively(dir);
            throw e;
        }
        return new Tmpfs(dir);
    }

    public Path path() {
        return dir;
    }

    /** Writes {@code name} until the file system is full; returns the error the last write got. */
    public IOException fill(String name) {
        byte[] chunk = new byte[16 * 1024];
        try (OutputStream out = Files.newOutputStream(dir.resolve(name))) {
            for (int i = 0; i < 1_000_000; i++) {
                out.write(chunk);
                out.flush();
            }
        } catch (IOException e) {
            return e;
        }
        throw new AssertionError("the tmpfs at " + dir + " never filled up");
    }

    @Override
    public void close() {
        try {
            run("umount", dir.toString());
        } catch (RuntimeException | AssertionError e) {
            run("umount", "-l", dir.toString()); // a process still holds a file: detach now, freed when it closes
        }
        TempDirs.deleteRecursively(dir);
    }

    private static void run(String... cmd) {
        try {
            Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", cmd) + " failed: " + out);
            }
        } catch (IOException e) {
            throw new AssertionError(String.join(" ", cmd) + " could not run: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(String.join(" ", cmd) + " interrupted", e);
        }
    }
}
