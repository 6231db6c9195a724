package org.opencodemcp.connector.registry;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A registry directory, on this machine or on the relay (over SFTP). Writes are atomic (temp file in
 * the same directory, then rename) with mode 0600, so readers never see half a file.
 */
public interface RegistryStore {

    /** Creates the directory if needed and (re)writes {@code <name>.json} atomically. */
    void write(Registration registration) throws IOException;

    /** The current content of {@code <name>.json}, empty if there is none. */
    Optional<Registration> read(String name) throws IOException;

    /**
     * Deletes {@code <name>.json} only if it still carries {@code instanceId}: a later launch with the same
     * name, or another program, may have replaced it, and its file is not ours to delete.
     *
     * @return true if a file was deleted
     */
    boolean removeIfOwned(String name, String instanceId) throws IOException;

    /** All registrations in the directory (files ending in .json, not starting with a dot). */
    List<RegistryEntry> list() throws IOException;

    /**
     * Proves the directory can be written the way registrations are: {@code mkdir -p}, write a hidden
     * temp file, rename it, delete it. Readers skip hidden files, so no server ever sees it.
     */
    void checkWritable() throws IOException;

    /** Where this store writes, for messages: a path, or {@code relay:path}. */
    String location();

    /** The temp file name used for an atomic write: hidden (leading dot) so that readers skip it. */
    static String tempName(String name) {
        return "." + name + ".json.tmp-" + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong());
    }

    static boolean isRegistrationFile(String fileName) {
        return fileName.endsWith(".json") && !fileName.startsWith(".");
    }
}
