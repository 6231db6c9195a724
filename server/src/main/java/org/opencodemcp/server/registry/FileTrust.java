package org.opencodemcp.server.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * Who owns a file of the registry and who else may write it. A registry is believed only when it
 * is this process's own: files owned by another account, or that another account can change, could
 * redirect prompts (a planted registration) or steal a password (a planted credentials file).
 */
public final class FileTrust {
    /** Group and others may not write (registrations are readable, harmless). */
    public static final int GROUP_OTHER_WRITE = 0022;
    /** Group and others may not do anything (credentials files). */
    public static final int GROUP_OTHER_ANY = 0077;

    private static final int OWN_UID = lookUpOwnUid();

    private FileTrust() {}

    /** The facts of one path, read without following a symbolic link. */
    public record Attributes(int uid, int mode, boolean symbolicLink, boolean directory, boolean regularFile, long size,
            Instant modified) {}

    /** The effective uid of this process, or -1 where it cannot be known (no owner checks then). */
    public static int ownUid() {
        return OWN_UID;
    }

    public static Attributes lstat(Path path) throws IOException {
        Map<String, Object> a = Files.readAttributes(path,
                "unix:uid,mode,isSymbolicLink,isDirectory,isRegularFile,size,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
        return new Attributes((Integer) a.get("uid"), (Integer) a.get("mode") & 07777, (Boolean) a.get("isSymbolicLink"),
                (Boolean) a.get("isDirectory"), (Boolean) a.get("isRegularFile"), (Long) a.get("size"),
                ((java.nio.file.attribute.FileTime) a.get("lastModifiedTime")).toInstant());
    }

    /** "owned by uid N" when another account owns it, else null. */
    public static String ownerProblem(Attributes a) {
        return OWN_UID >= 0 && a.uid() != OWN_UID ? "owned by uid " + a.uid() : null;
    }

    /** Why the mode grants group/others too much ({@code forbidden}: a mask of permission bits), else null. */
    public static String modeProblem(Attributes a, int forbidden) {
        if ((a.mode() & forbidden) == 0) {
            return null;
        }
        String who = forbidden == GROUP_OTHER_WRITE ? "writable by group or others" : "readable or writable by group or others";
        return who + " (mode " + octal(a.mode()) + ")";
    }

    public static String octal(int mode) {
        return String.format("%04o", mode & 07777);
    }

    private static int lookUpOwnUid() {
        try {
            return (int) new com.sun.security.auth.module.UnixSystem().getUid();
        } catch (RuntimeException | LinkageError e) {
            try {
                return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            } catch (IOException | RuntimeException e2) {
                return -1;
            }
        }
    }
}
