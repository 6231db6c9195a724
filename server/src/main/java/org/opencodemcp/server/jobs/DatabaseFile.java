package org.opencodemcp.server.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Set;
import org.opencodemcp.server.registry.FileTrust;

/**
 * Checks the jobs database file before the driver is loaded, so the common mistakes are a clear
 * start-up error naming the file and the fix: the directory is created 0700, the file is kept 0600
 * (prompts and answers are in it), a read-only file, a file owned by someone else, a symlink or a
 * file that is not SQLite are refused. All of it is plain file I/O: well under a millisecond.
 */
final class DatabaseFile {
    private static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");

    private DatabaseFile() {}

    /** Prepares {@code file}'s directory and checks the file; throws {@link JobStoreException} with the fix. */
    static void prepare(Path file) {
        Path dir = file.getParent();
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                Files.setPosixFilePermissions(dir, OWNER_DIR);
            }
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                if (!Files.isWritable(dir)) {
                    throw new JobStoreException(refusal(file, "its directory " + dir + " is not writable"));
                }
                return;
            }
            if (Files.isSymbolicLink(file) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new JobStoreException(refusal(file, "it is not a regular file (a symlink or a directory?)"));
            }
            FileTrust.Attributes a = FileTrust.lstat(file);
            String owner = FileTrust.ownerProblem(a);
            if (owner != null) {
                throw new JobStoreException(refusal(file, "it is " + owner + ", not by this user"));
            }
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            if (!mode.contains(PosixFilePermission.OWNER_WRITE) || !Files.isWritable(dir)) {
                // root may write anything: the mode bits are what says "read-only" here
                throw new JobStoreException(refusal(file, "it is read-only (mode " + PosixFilePermissions.toString(mode) + ")"));
            }
            if (!mode.equals(OWNER_FILE)) {
                Files.setPosixFilePermissions(file, OWNER_FILE); // our own file: keep it closed
            }
            if (Files.size(file) > 0 && !sqliteHeader(file)) {
                throw new JobStoreException(refusal(file, "it is not an SQLite database (corrupt, or another file)"));
            }
        } catch (IOException e) {
            throw new JobStoreException(refusal(file, "it cannot be checked (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")"), e);
        }
    }

    /** After SQLite created the file (and its -wal/-shm): owner-only. */
    static void closeUp(Path file) {
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            Path p = file.resolveSibling(file.getFileName() + suffix);
            try {
                if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(p)) {
                    Files.setPosixFilePermissions(p, OWNER_FILE);
                }
            } catch (IOException e) {
                // reported by the next start's check if it matters
            }
        }
    }

    static String refusal(Path file, String why) {
        return "the jobs database " + file + " cannot be used: " + why + ". Fix it, move it aside (mv " + file + " "
                + file + ".bad), point JOBS_DB (or --jobs-db) at another file, or set JOBS_DB=:memory: to keep no jobs on disk";
    }

    private static boolean sqliteHeader(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] head = in.readNBytes(MAGIC.length);
            return Arrays.equals(head, MAGIC);
        }
    }
}
