package org.opencodemcp.server.transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Whether a file's group is this process's own private group, so that group-read permission lets no
 * other account read it. Kubernetes mounts a Secret as {@code root:<fsGroup>} mode 0440 with no way to
 * make it 0400 for a non-root user, and a desktop's user-private group is the same case: warning there
 * would teach people to ignore the warning. A group that lists members, or that is another account's
 * primary group, is shared.
 */
final class PrivateGroup {
    private PrivateGroup() {}

    /** Reads the live account databases; any doubt (unreadable files, unknown ids) answers "shared". */
    static boolean isOwn(int fileGid) {
        try {
            com.sun.security.auth.module.UnixSystem me = new com.sun.security.auth.module.UnixSystem();
            return isOwn(fileGid, (int) me.getUid(), (int) me.getGid(), lines(Path.of("/etc/group")), lines(Path.of("/etc/passwd")));
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /**
     * {@code fileGid} is private to {@code myUid} when it is the process's primary group, no line of
     * {@code group} names a member other than this account, and no other account of {@code passwd} has
     * it as its primary group. A group missing from both files (a container's fsGroup) is private.
     */
    static boolean isOwn(int fileGid, int myUid, int myGid, List<String> group, List<String> passwd) {
        if (fileGid != myGid) {
            return false;
        }
        String myName = null;
        for (String line : passwd) {
            String[] f = line.split(":", -1);
            if (f.length < 4) {
                continue;
            }
            if (String.valueOf(myUid).equals(f[2])) {
                myName = f[0];
            } else if (String.valueOf(fileGid).equals(f[3])) {
                return false; // another account's primary group
            }
        }
        for (String line : group) {
            String[] f = line.split(":", -1);
            if (f.length < 4 || !String.valueOf(fileGid).equals(f[2]) || f[3].isBlank()) {
                continue;
            }
            for (String member : f[3].split(",")) {
                if (!member.strip().equals(myName)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
