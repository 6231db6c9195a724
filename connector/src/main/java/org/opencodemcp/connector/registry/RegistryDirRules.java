package org.opencodemcp.connector.registry;

/**
 * Who may own the registry directory, shared by the local and the SFTP store. Whoever can write in it
 * can plant a registration that receives prompts meant for someone else, swap a file for a symlink,
 * or read a {@code .auth} secret; so it must belong to the account the connector writes as, and no
 * group or other account may write in it. The connector never loosens a directory to make it work.
 */
final class RegistryDirRules {

    static final int DIR_MODE = 0700;
    static final int GROUP_OTHER_WRITE = 0022;

    private RegistryDirRules() {}

    /** Null if the directory may be used, else the reason with the fix. */
    static String problem(String where, String path, int ownerUid, int myUid, int mode) {
        if (ownerUid != myUid) {
            return "the registry directory " + where + " is owned by uid " + ownerUid + ", not by the account the "
                    + "connector writes as (uid " + myUid + "): its owner could replace registrations and read "
                    + "secrets. Use a directory of your own (choose one with --registry-dir or RELAY_REGISTRY_DIR; "
                    + "it is created with mode 0700), or have it removed so it can be created afresh";
        }
        if ((mode & GROUP_OTHER_WRITE) != 0) {
            return "the registry directory " + where + " is writable by " + ((mode & 0002) != 0 ? "every account"
                    : "its group") + " (mode " + octal(mode) + "): others could plant registrations or swap files "
                    + "for symlinks. Fix: chmod 700 " + path + " (or choose another directory with --registry-dir)";
        }
        return null;
    }

    static String octal(int mode) {
        return String.format("%04o", mode & 07777);
    }
}
