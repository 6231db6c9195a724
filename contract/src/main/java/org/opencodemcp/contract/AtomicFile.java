package org.opencodemcp.contract;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Writes a file of the registry directory so that no reader ever sees half of it and nothing is
 * followed: a hidden temp file is created with {@code O_CREAT|O_EXCL|O_NOFOLLOW} and mode 0600 in one
 * call, written through that same handle, then renamed over the target (a rename replaces a symlink,
 * it does not follow it). The directory itself is the caller's to check.
 */
public final class AtomicFile {
    public static final FileAttribute<Set<PosixFilePermission>> MODE_0600 =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final Set<OpenOption> CREATE_NEW = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS);

    private AtomicFile() {}

    /** Writes {@code bytes} to {@code dir/fileName}, mode 0600. */
    public static void write(Path dir, String fileName, byte[] bytes) throws IOException {
        write(dir, fileName, bytes, tmp -> { });
    }

    /**
     * As {@link #write(Path, String, byte[])}; {@code afterTempCreated} runs between creating the temp
     * file and writing it (for tests: an attacker's moment).
     */
    public static void write(Path dir, String fileName, byte[] bytes, Consumer<Path> afterTempCreated) throws IOException {
        Path target = dir.resolve(fileName);
        Path tmp = dir.resolve(RegistryFiles.tempName(fileName));
        try {
            try (FileChannel out = FileChannel.open(tmp, CREATE_NEW, MODE_0600)) {
                afterTempCreated.accept(tmp);
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    out.write(buf);
                }
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            // the temp file was swapped for a symlink after it was created (only the directory's owner can):
            // the content went to our own handle, nothing was followed; take the link away again
            Files.deleteIfExists(target);
            throw new IOException(target + " was replaced by something that is not a regular file while it was "
                    + "written; is another program writing in " + dir + "?");
        }
    }
}
