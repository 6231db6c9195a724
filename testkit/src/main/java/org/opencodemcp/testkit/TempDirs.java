package org.opencodemcp.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Temp folders for test homes and projects, and their best-effort removal. */
public final class TempDirs {
    private static final Logger log = LoggerFactory.getLogger(TempDirs.class);

    private TempDirs() {}

    /** A new empty folder under java.io.tmpdir. Real path, so it compares equal to what opencode reports. */
    public static Path create(String prefix) {
        try {
            return Files.createTempDirectory(prefix).toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temp dir " + prefix, e);
        }
    }

    /**
     * Deletes a tree without following symlinks. Best effort: cleanup must never fail a test that
     * passed, so problems are logged and swallowed.
     */
    public static void deleteRecursively(Path root) {
        if (root == null || !Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    Files.deleteIfExists(file); // e.g. a socket or a file that vanished meanwhile
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException | RuntimeException e) {
            log.warn("could not fully delete {}: {}", root, e.toString());
        }
    }
}
