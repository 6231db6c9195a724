package org.opencodemcp.server.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Arrays;

/**
 * Reads one file of the registry directory safely: never follows a symbolic link, never reads more
 * than {@link #MAX_BYTES}, and reports every problem as a reason instead of throwing.
 */
public final class RegistryFile {
    /** A registration is a few hundred bytes; anything much larger is not one (and must not eat memory). */
    public static final int MAX_BYTES = 64 * 1024;

    private RegistryFile() {}

    /** Whether a directory entry is a registration candidate: {@code *.json}, not hidden (temp files start with '.'). */
    public static boolean isCandidate(Path file) {
        String n = file.getFileName().toString();
        return n.endsWith(".json") && !n.startsWith(".") && n.length() > ".json".length();
    }

    /** The outcome of reading a file. */
    public sealed interface Read permits Content, Problem, Gone {}

    /** The bytes, and the file's modification time (a sign of life for heartbeating writers). */
    public record Content(byte[] bytes, Instant modified) implements Read {
        public boolean sameBytes(Content other) {
            return other != null && Arrays.equals(bytes, other.bytes);
        }
    }

    /** The file exists but cannot be a registration. */
    public record Problem(String reason, Instant modified) implements Read {}

    /** The file vanished between listing and reading. */
    public record Gone() implements Read {}

    public static Read read(Path file) {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return new Gone();
        } catch (IOException e) {
            return new Problem("cannot stat: " + e.getMessage(), null);
        }
        Instant modified = attrs.lastModifiedTime().toInstant();
        if (attrs.isSymbolicLink()) {
            return new Problem("is a symbolic link (not followed, for safety)", modified);
        }
        if (attrs.isDirectory()) {
            return new Problem("is a directory, not a file", modified);
        }
        if (!attrs.isRegularFile()) {
            return new Problem("is not a regular file", modified);
        }
        if (attrs.size() > MAX_BYTES) {
            return new Problem("is " + attrs.size() + " bytes, over the " + MAX_BYTES + "-byte limit", modified);
        }
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                return new Problem("grew over the " + MAX_BYTES + "-byte limit while being read", modified);
            }
            return new Content(bytes, modified);
        } catch (NoSuchFileException e) {
            return new Gone();
        } catch (IOException e) {
            return new Problem("cannot read: " + e.getMessage(), modified);
        }
    }
}
