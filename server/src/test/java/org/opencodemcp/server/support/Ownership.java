package org.opencodemcp.server.support;

import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.opencodemcp.server.registry.FileTrust;

/**
 * Makes files look like another account's: {@code chown} to uid {@link #OTHER_UID}, a uid no account
 * uses. Needs root, which CI has; elsewhere the tests that need it are skipped, but never under CI=true.
 */
public final class Ownership {
    /** Nobody's uid: a stand-in for another relay user. */
    public static final int OTHER_UID = 4242;

    private Ownership() {}

    /** Skips the calling test when it cannot chown (not root), except on CI where that is a failure. */
    public static void assumeCanChown() {
        if (!"true".equals(System.getenv("CI"))) {
            assumeThat(FileTrust.ownUid()).as("chown needs root").isZero();
        }
    }

    public static Path giveToOtherUser(Path file) {
        try {
            Files.setAttribute(file, "unix:uid", OTHER_UID, LinkOption.NOFOLLOW_LINKS);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path chmod(Path file, String perms) {
        try {
            return Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(perms));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code <dir>/<name>.auth} with mode 0600, as the connector does. */
    public static Path writeAuth(Path dir, String name, String content) {
        try {
            Path file = dir.resolve(name + ".auth");
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, content);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
