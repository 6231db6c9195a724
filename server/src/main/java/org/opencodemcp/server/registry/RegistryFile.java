package org.opencodemcp.server.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.opencodemcp.contract.RegistryFiles;

/**
 * Reads one file of the registry directory safely: never follows a symbolic link, never reads more
 * than a limit, and reports every problem as a reason instead of throwing.
 */
public final class RegistryFile {
    /** A regular file opens in microseconds; an open that takes this long is blocked (a FIFO). */
    static final Duration OPEN_LIMIT = Duration.ofSeconds(1);

    private RegistryFile() {}

    /** Whether a directory entry is a registration to read (the contract's rule: {@link RegistryFiles#isRegistrationFileName}). */
    public static boolean isCandidate(Path file) {
        return RegistryFiles.isRegistrationFileName(file.getFileName().toString());
    }

    /** The outcome of reading a file. */
    public sealed interface Read permits Content, Problem, Gone {}

    /** The bytes, and the file's modification time (a sign of life for heartbeating writers). */
    public record Content(byte[] bytes, Instant modified) implements Read {
        /** What is kept of a read: a digest, never the bytes (junk files must not stay in memory). */
        public Stamp stamp() {
            try {
                return new Stamp(MessageDigest.getInstance("SHA-256").digest(bytes), modified);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JVM has SHA-256", e);
            }
        }
    }

    /** A digest of what a file held when it was read, and its modification time then. */
    public record Stamp(byte[] digest, Instant modified) {
        public boolean sameContent(Stamp other) {
            return other != null && Arrays.equals(digest, other.digest);
        }
    }

    /** The file exists but cannot be a registration. */
    public record Problem(String reason, Instant modified) implements Read {}

    /** The file vanished between listing and reading. */
    public record Gone() implements Read {}

    /** Reads a registration: at most {@link RegistryFiles#MAX_REGISTRATION_BYTES}, owned by this account, not writable by group or others. */
    public static Read read(Path file) {
        return read(file, RegistryFiles.MAX_REGISTRATION_BYTES, FileTrust.GROUP_OTHER_WRITE);
    }

    /**
     * Reads a file of the registry: never through a symbolic link, at most {@code maxBytes}, only when
     * this account owns it and none of the {@code forbiddenMode} bits are set.
     */
    public static Read read(Path file, int maxBytes, int forbiddenMode) {
        return read(file, maxBytes, forbiddenMode, f -> NonBlockingOpen.open(f, OPEN_LIMIT));
    }

    /**
     * {@link #read(Path)} with the open on the calling thread: only for an opener thread (ScanReads),
     * which a FIFO may block, never for the registry thread.
     */
    static Read readOnOpenerThread(Path file) {
        return read(file, RegistryFiles.MAX_REGISTRATION_BYTES, FileTrust.GROUP_OTHER_WRITE,
                f -> Files.newInputStream(f, LinkOption.NOFOLLOW_LINKS));
    }

    /** How a file is opened once its attributes passed. */
    private interface Opener {
        InputStream open(Path file) throws IOException;
    }

    private static Read read(Path file, int maxBytes, int forbiddenMode, Opener opener) {
        FileTrust.Attributes attrs;
        try {
            attrs = FileTrust.lstat(file);
        } catch (NoSuchFileException e) {
            return new Gone();
        } catch (IOException | UnsupportedOperationException e) {
            return new Problem("cannot stat: " + e.getMessage(), null);
        }
        Instant modified = attrs.modified();
        if (attrs.symbolicLink()) {
            return new Problem("is a symbolic link (not followed, for safety)", modified);
        }
        if (attrs.directory()) {
            return new Problem("is a directory, not a file", modified);
        }
        if (!attrs.regularFile()) {
            return new Problem("is not a regular file", modified);
        }
        String owner = FileTrust.ownerProblem(attrs);
        if (owner != null) {
            return new Problem(owner + " (only files of uid " + FileTrust.ownUid() + " are believed; not probed)", modified);
        }
        String mode = FileTrust.modeProblem(attrs, forbiddenMode);
        if (mode != null) {
            return new Problem("is " + mode + "; fix: chmod go-" + (forbiddenMode == FileTrust.GROUP_OTHER_WRITE ? "w" : "rwx")
                    + " " + file.getFileName(), modified);
        }
        if (attrs.size() > maxBytes) {
            return new Problem("is " + attrs.size() + " bytes, over the " + maxBytes + "-byte limit", modified);
        }
        try (InputStream in = opener.open(file)) {
            byte[] bytes = in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                return new Problem("grew over the " + maxBytes + "-byte limit while being read", modified);
            }
            return new Content(bytes, modified);
        } catch (NoSuchFileException e) {
            return new Gone();
        } catch (IOException e) {
            return new Problem("cannot read: " + e.getMessage(), modified);
        }
    }
}
