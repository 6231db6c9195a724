package org.opencodemcp.server.registry;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The registry directory must be this account's own and closed to everyone else: whoever can write
 * there can register an instance under any name and receive the prompts meant for it. A missing
 * directory is created with mode 0700. The default {@code /tmp/opencode-relay} lives in a
 * world-writable place, so one that already exists is checked like any other: another account may
 * have created it first, precisely to catch prompts.
 */
public final class RegistryDirectory {
    private RegistryDirectory() {}

    /**
     * Creates the directory (0700) when missing, then checks it. Returns null when it can be trusted,
     * else one line saying what is wrong and how to fix it.
     */
    public static String prepare(Path dir) {
        try {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException exists) {
            // checked below, whoever made it
        } catch (IOException | UnsupportedOperationException e) {
            return "cannot create the registry directory " + dir + ": " + e.getMessage()
                    + "; create it yourself with mode 0700 or set RELAY_REGISTRY_DIR";
        }
        return check(dir);
    }

    /** Null when {@code dir} is a directory owned by this account that group/others cannot write; else the problem and the fix. */
    public static String check(Path dir) {
        FileTrust.Attributes a;
        try {
            a = FileTrust.lstat(dir);
        } catch (NoSuchFileException e) {
            return "the registry directory " + dir + " does not exist";
        } catch (IOException | UnsupportedOperationException e) {
            return "cannot inspect the registry directory " + dir + ": " + e.getMessage();
        }
        if (a.symbolicLink()) {
            return "refusing the registry directory " + dir + ": it is a symbolic link (whoever controls the link controls"
                    + " the registry); set RELAY_REGISTRY_DIR to the real directory";
        }
        if (!a.directory()) {
            return "registry path " + dir + " is not a directory; fix it or set RELAY_REGISTRY_DIR";
        }
        String owner = FileTrust.ownerProblem(a);
        if (owner != null) {
            return "refusing the registry directory " + dir + ": it is " + owner + ", not by this user (uid " + FileTrust.ownUid()
                    + "), so that account could register instances and receive your prompts; remove it (it is then created"
                    + " with mode 0700) or set RELAY_REGISTRY_DIR to a directory you own";
        }
        String mode = FileTrust.modeProblem(a, FileTrust.GROUP_OTHER_WRITE);
        if (mode != null) {
            return "refusing the registry directory " + dir + ": it is " + mode + ", so other accounts could register"
                    + " instances and receive your prompts; fix: chmod 700 " + dir;
        }
        return null;
    }
}
