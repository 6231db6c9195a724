package org.opencodemcp.connector.registry;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.opencodemcp.connector.opencode.ServerCredential;
import org.opencodemcp.contract.Registration;

/**
 * A registry directory, on this machine or on the relay (over SFTP). Writes are atomic (temp file in
 * the same directory, then rename) with mode 0600, so readers never see half a file, and never follow
 * a symlink; reads are bounded before they start. The directory must belong to the account the
 * connector writes as and be closed to group and others (see {@link RegistryDirRules}).
 *
 * <p>A store made with this launch's {@link ServerCredential} keeps {@code <name>.auth} beside the
 * registration (SECRET-CONTRACT.md): written before {@code <name>.json} on every write (so a reconnect
 * re-writes it, and a file a server pruned comes back with it), removed after it.
 */
public interface RegistryStore {

    /** Creates the directory if needed, checks it, (re)writes {@code <name>.auth} if any, then {@code <name>.json}. */
    void write(Registration registration) throws IOException;

    /** The current content of {@code <name>.json}, empty if there is none. */
    Optional<Registration> read(String name) throws IOException;

    /**
     * The pair in {@code <name>.auth}, empty if there is none; an error if the file is not a regular
     * 0600 file of the directory's owner, is too big or is not one {@code USER:PASSWORD} line.
     */
    Optional<ServerCredential> readAuth(String name) throws IOException;

    /**
     * Deletes {@code <name>.json} only if it still carries {@code instanceId}: a later launch with the same
     * name, or another program, may have replaced it, and its file is not ours to delete. Then deletes
     * {@code <name>.auth} if it still holds this store's credential.
     *
     * @return true if the registration was deleted
     */
    boolean removeIfOwned(String name, String instanceId) throws IOException;

    /**
     * Why the directory cannot be trusted (another account owns it, or group/others can write in it), or
     * empty if it can or does not exist yet. Read-only: nothing is created or changed.
     */
    Optional<String> directoryProblem() throws IOException;

    /** All registrations in the directory (files ending in .json, not starting with a dot). */
    List<RegistryEntry> list() throws IOException;

    /**
     * Proves the directory can be written the way registrations are: {@code mkdir -p}, the owner and mode
     * check, write a hidden temp file, rename it, delete it. Readers skip hidden files, so no server ever sees it.
     */
    void checkWritable() throws IOException;

    /** Where this store writes, for messages: a path, or {@code relay:path}. */
    String location();
}
