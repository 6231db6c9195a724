package org.opencodemcp.connector.registry;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.SftpATTRS;
import com.jcraft.jsch.SftpException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Vector;
import org.opencodemcp.connector.opencode.ServerCredential;
import org.opencodemcp.connector.relay.RelayException;
import org.opencodemcp.connector.relay.RelaySession;
import org.opencodemcp.contract.Registration;
import org.opencodemcp.contract.RegistrationReader;
import org.opencodemcp.contract.RegistrationWriter;
import org.opencodemcp.contract.RegistryFiles;
import org.opencodemcp.contract.BasicAuth;

/**
 * The registry directory on the relay, written over SFTP through the connector's own SSH session
 * (no remote shell, no {@code cat >} pipe: nothing the relay's login shell can break).
 *
 * <p>SFTP cannot create a file with a mode through JSch, so the directory is what keeps others out:
 * it is created with mode 0700, and before anything is written the connector checks (over SFTP
 * {@code stat}) that it belongs to the login account and that no group or other account can enter it;
 * anything else is refused with the fix. Files are then created empty, made 0600, and only then
 * filled; every read-back checks the size with {@code lstat} first and reads at most the cap.
 */
public final class SftpRegistryStore implements RegistryStore {


    private final RelaySession relay;
    private final String dir;
    private final Optional<ServerCredential> credential;
    private Integer loginUid;

    /** A store that writes registrations only (status, doctor, --insecure-no-password). */
    public SftpRegistryStore(RelaySession relay, String dir) {
        this(relay, dir, Optional.empty());
    }

    /** With a credential, every {@link #write} first writes {@code <name>.auth}, and removal takes it away too. */
    public SftpRegistryStore(RelaySession relay, String dir, Optional<ServerCredential> credential) {
        this.relay = relay;
        this.dir = dir.endsWith("/") && dir.length() > 1 ? dir.substring(0, dir.length() - 1) : dir;
        this.credential = credential;
    }

    @Override
    public void write(Registration registration) throws IOException {
        withSftp(sftp -> {
            prepareDirectory(sftp);
            if (credential.isPresent()) {
                // before the JSON: a server that sees the registration can already reach the instance
                writeAtomically(sftp, RegistryFiles.authFileName(registration.name()),
                        credential.get().authFileText().getBytes(StandardCharsets.UTF_8));
            }
            writeAtomically(sftp, registration.fileName(),
                    RegistrationWriter.toBytes(registration));
            return null;
        }, "write " + registration.fileName());
    }

    /** Empty temp file, chmod 0600, then the content, then posix-rename over the target. */
    private void writeAtomically(ChannelSftp sftp, String fileName, byte[] bytes) throws SftpException {
        String tmp = dir + "/" + RegistryFiles.tempName(fileName);
        try {
            sftp.put(new ByteArrayInputStream(new byte[0]), tmp, ChannelSftp.OVERWRITE);
            sftp.chmod(0600, tmp);
            sftp.put(new ByteArrayInputStream(bytes), tmp, ChannelSftp.OVERWRITE);
            // JSch uses posix-rename@openssh.com when offered: atomic, and replaces the old file
            sftp.rename(tmp, dir + "/" + fileName);
        } catch (SftpException e) {
            removeQuietly(sftp, tmp);
            throw e;
        }
    }

    @Override
    public Optional<Registration> read(String name) throws IOException {
        return withSftp(sftp -> readRegistration(sftp, dir + "/" + name + ".json"), "read " + name + ".json");
    }

    @Override
    public Optional<ServerCredential> readAuth(String name) throws IOException {
        String file = RegistryFiles.authFileName(name);
        return withSftp(sftp -> {
            SftpATTRS dirAttrs = sftp.stat(dir);
            SftpATTRS a = lstatOrNull(sftp, dir + "/" + file);
            if (a == null) {
                return Optional.empty();
            }
            // the login account owns a checked directory; a secret from anyone else is not believed
            if ((dirAttrs.getPermissions() & RegistryDirRules.GROUP_OTHER_WRITE) != 0
                    || a.getUId() != dirAttrs.getUId() || (a.getPermissions() & 077) != 0) {
                throw new IOException(file + " (uid " + a.getUId() + ", mode "
                        + RegistryDirRules.octal(a.getPermissions()) + ") is not a 0600 file of the directory's owner "
                        + "(uid " + dirAttrs.getUId() + ") in a directory only it can write");
            }
            Optional<byte[]> bytes = readBounded(sftp, dir + "/" + file, BasicAuth.MAX_AUTH_FILE_BYTES);
            return bytes.isEmpty() ? Optional.empty()
                    : Optional.of(ServerCredential.parseAuthFile(new String(bytes.get(), StandardCharsets.UTF_8)));
        }, "read " + file);
    }

    @Override
    public Optional<String> directoryProblem() throws IOException {
        return withSftp(sftp -> {
            SftpATTRS a = statOrNull(sftp, dir);
            if (a == null) {
                return Optional.empty();
            }
            String where = dir + " on relay " + relay.description();
            if (!a.isDir()) {
                return Optional.of("the registry directory " + where + " is not a directory");
            }
            int mode = a.getPermissions() & 07777;
            // read-only: the login uid is not learnt here (that takes a probe file), only the mode is judged
            return Optional.ofNullable(RegistryDirRules.problem(where, dir, a.getUId(), a.getUId(), mode));
        }, "check " + dir);
    }

    @Override
    public boolean removeIfOwned(String name, String instanceId) throws IOException {
        return withSftp(sftp -> {
            boolean removed = false;
            Optional<Registration> current;
            try {
                current = readRegistration(sftp, dir + "/" + name + ".json");
            } catch (IOException unreadable) {
                current = Optional.empty();
            }
            if (current.isPresent() && instanceId.equals(current.get().instanceId())) {
                sftp.rm(dir + "/" + name + ".json");
                removed = true;
            }
            // after the JSON (the contract's order), and only if it still holds this launch's secret
            if (credential.isPresent()) {
                String auth = dir + "/" + RegistryFiles.authFileName(name);
                Optional<byte[]> bytes;
                try {
                    bytes = readBounded(sftp, auth, BasicAuth.MAX_AUTH_FILE_BYTES);
                } catch (IOException unreadable) {
                    bytes = Optional.empty();
                }
                if (bytes.isPresent() && credential.get().authFileText()
                        .equals(new String(bytes.get(), StandardCharsets.UTF_8))) {
                    sftp.rm(auth);
                }
            }
            return removed;
        }, "remove " + name + ".json");
    }

    @Override
    public List<RegistryEntry> list() throws IOException {
        return withSftp(sftp -> {
            List<RegistryEntry> entries = new ArrayList<>();
            Vector<ChannelSftp.LsEntry> files;
            try {
                files = sftp.ls(dir);
            } catch (SftpException e) {
                if (e.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) {
                    return entries;
                }
                throw e;
            }
            for (ChannelSftp.LsEntry f : files) {
                String fileName = f.getFilename();
                if (!RegistryFiles.isRegistrationFileName(fileName)) {
                    continue;
                }
                try {
                    readRegistration(sftp, dir + "/" + fileName)
                            .ifPresent(r -> entries.add(RegistryEntry.ok(fileName, r)));
                } catch (IOException e) {
                    entries.add(RegistryEntry.invalid(fileName, String.valueOf(e.getMessage())));
                }
            }
            entries.sort(java.util.Comparator.comparing(RegistryEntry::fileName));
            return entries;
        }, "list " + dir);
    }

    @Override
    public void checkWritable() throws IOException {
        withSftp(sftp -> {
            prepareDirectory(sftp);
            String tmp = dir + "/" + RegistryFiles.tempName("doctor");
            String renamed = dir + "/" + RegistryFiles.tempName("doctor");
            try {
                sftp.put(new ByteArrayInputStream(new byte[0]), tmp, ChannelSftp.OVERWRITE);
                sftp.chmod(0600, tmp);
                sftp.rename(tmp, renamed);
            } finally {
                removeQuietly(sftp, tmp);
                removeQuietly(sftp, renamed);
            }
            return null;
        }, "write test");
    }

    @Override
    public String location() {
        return "relay " + relay.description() + ":" + dir;
    }

    /**
     * {@code mkdir -p} with the last directory made 0700; then the directory must be the login account's
     * and closed to group and others. One the login account owns but others can read or enter is
     * tightened to 0700 (a reader could open a file in the moment before its chmod and keep reading it);
     * one others can write in, or that belongs to someone else, is refused: its files cannot be trusted.
     */
    private void prepareDirectory(ChannelSftp sftp) throws SftpException, IOException {
        SftpATTRS a = statOrNull(sftp, dir);
        boolean created = false;
        if (a == null) {
            mkdirParents(sftp);
            try {
                sftp.mkdir(dir);
                created = true;
                sftp.chmod(RegistryDirRules.DIR_MODE, dir);
            } catch (SftpException raced) {
                // another connector made it meanwhile: judged below like any existing one
            }
            a = sftp.stat(dir);
        }
        String where = dir + " on relay " + relay.description();
        if (!a.isDir()) {
            throw new IOException("the registry directory " + where + " is not a directory");
        }
        if (created) {
            loginUid = a.getUId();
        }
        int mode = a.getPermissions() & 07777;
        if ((mode & RegistryDirRules.GROUP_OTHER_WRITE) != 0) {
            throw new IOException(RegistryDirRules.problem(where, dir, a.getUId(), a.getUId(), mode));
        }
        String problem = RegistryDirRules.problem(where, dir, a.getUId(), loginUid(sftp, a), mode);
        if (problem != null) {
            throw new IOException(problem);
        }
        if ((mode & 077) != 0) {
            sftp.chmod(RegistryDirRules.DIR_MODE, dir);
        }
    }

    /**
     * The login account's uid, which SFTP does not tell directly: the owner of an empty file created in
     * the directory (removed at once). Remembered for this session.
     */
    private int loginUid(ChannelSftp sftp, SftpATTRS dirAttrs) throws SftpException, IOException {
        if (loginUid != null) {
            return loginUid;
        }
        String probe = dir + "/" + RegistryFiles.tempName("owner-check");
        try {
            sftp.put(new ByteArrayInputStream(new byte[0]), probe, ChannelSftp.OVERWRITE);
            loginUid = sftp.lstat(probe).getUId();
        } catch (SftpException e) {
            if (e.id == ChannelSftp.SSH_FX_PERMISSION_DENIED) {
                throw new IOException("the registry directory " + dir + " on relay " + relay.description()
                        + " belongs to uid " + dirAttrs.getUId() + " and the login account cannot write in it. Use a "
                        + "directory of your own (--registry-dir or RELAY_REGISTRY_DIR; it is created with mode 0700)",
                        e);
            }
            throw e;
        } finally {
            removeQuietly(sftp, probe);
        }
        return loginUid;
    }

    private void mkdirParents(ChannelSftp sftp) throws SftpException {
        StringBuilder path = new StringBuilder(dir.startsWith("/") ? "/" : "");
        String[] parts = dir.split("/");
        for (int i = 0; i < parts.length - 1; i++) {
            if (parts[i].isEmpty()) {
                continue;
            }
            path.append(parts[i]);
            if (statOrNull(sftp, path.toString()) == null) {
                try {
                    sftp.mkdir(path.toString());
                } catch (SftpException raced) {
                    sftp.stat(path.toString()); // another connector made it meanwhile: fine if it exists now
                }
            }
            path.append('/');
        }
    }

    private static SftpATTRS statOrNull(ChannelSftp sftp, String path) throws SftpException {
        try {
            return sftp.stat(path);
        } catch (SftpException e) {
            if (e.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) {
                return null;
            }
            throw e;
        }
    }

    private static SftpATTRS lstatOrNull(ChannelSftp sftp, String path) throws SftpException {
        try {
            return sftp.lstat(path);
        } catch (SftpException e) {
            if (e.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) {
                return null;
            }
            throw e;
        }
    }

    private static Optional<Registration> readRegistration(ChannelSftp sftp, String path)
            throws SftpException, IOException {
        Optional<byte[]> bytes = readBounded(sftp, path, RegistryFiles.MAX_REGISTRATION_BYTES);
        return bytes.isEmpty() ? Optional.empty()
                : Optional.of(RegistrationReader.read(bytes.get()));
    }

    /** {@code lstat} first (a regular file, not over the cap), then at most {@code cap} + 1 bytes. */
    private static Optional<byte[]> readBounded(ChannelSftp sftp, String path, long cap)
            throws SftpException, IOException {
        SftpATTRS a = lstatOrNull(sftp, path);
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (a == null) {
            return Optional.empty();
        }
        if (!a.isReg()) {
            throw new IOException(name + " is not a regular file");
        }
        if (a.getSize() > cap) {
            throw new IOException(name + " is larger than " + cap + " bytes");
        }
        try (InputStream in = sftp.get(path)) {
            byte[] bytes = in.readNBytes((int) cap + 1);
            if (bytes.length > cap) {
                throw new IOException(name + " is larger than " + cap + " bytes");
            }
            return Optional.of(bytes);
        } catch (SftpException e) {
            if (e.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static void removeQuietly(ChannelSftp sftp, String path) {
        try {
            sftp.rm(path);
        } catch (SftpException gone) {
            // already renamed, removed, or never written
        }
    }

    private interface SftpAction<T> {
        T run(ChannelSftp sftp) throws SftpException, IOException;
    }

    private <T> T withSftp(SftpAction<T> action, String what) throws IOException {
        ChannelSftp sftp;
        try {
            sftp = relay.sftp();
        } catch (RelayException e) {
            throw new IOException(e.getMessage(), e);
        }
        try {
            return action.run(sftp);
        } catch (SftpException e) {
            throw new IOException("SFTP " + what + " in " + dir + " on relay " + relay.description() + " failed: "
                    + e.getMessage() + explain(e), e);
        } finally {
            sftp.disconnect();
        }
    }

    private static String explain(SftpException e) {
        if (e.id == ChannelSftp.SSH_FX_PERMISSION_DENIED) {
            return " (permission denied: the registry directory must belong to the relay login account; use a "
                    + "directory of your own with --registry-dir, which the connector creates with mode 0700)";
        }
        return "";
    }
}
