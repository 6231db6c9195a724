package org.opencodemcp.connector.registry;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.SftpATTRS;
import com.jcraft.jsch.SftpException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Vector;
import org.opencodemcp.connector.relay.RelayException;
import org.opencodemcp.connector.relay.RelaySession;

/**
 * The registry directory on the relay, written over SFTP through the connector's own SSH session
 * (no remote shell, no {@code cat >} pipe: nothing the relay's login shell can break).
 */
public final class SftpRegistryStore implements RegistryStore {

    private static final long MAX_FILE = 64 * 1024;

    private final RelaySession relay;
    private final String dir;

    public SftpRegistryStore(RelaySession relay, String dir) {
        this.relay = relay;
        this.dir = dir.endsWith("/") && dir.length() > 1 ? dir.substring(0, dir.length() - 1) : dir;
    }

    @Override
    public void write(Registration registration) throws IOException {
        withSftp(sftp -> {
            mkdirs(sftp);
            String tmp = dir + "/" + RegistryStore.tempName(registration.name());
            String target = dir + "/" + registration.fileName();
            byte[] bytes = RegistrationJson.write(registration).getBytes(StandardCharsets.UTF_8);
            try {
                sftp.put(new ByteArrayInputStream(bytes), tmp, ChannelSftp.OVERWRITE);
                sftp.chmod(0600, tmp);
                // JSch uses posix-rename@openssh.com when offered: atomic, and replaces the old file
                sftp.rename(tmp, target);
            } catch (SftpException e) {
                try {
                    sftp.rm(tmp);
                } catch (SftpException gone) {
                    // nothing to clean up
                }
                throw e;
            }
            return null;
        }, "write " + registration.fileName());
    }

    @Override
    public Optional<Registration> read(String name) throws IOException {
        return withSftp(sftp -> readFile(sftp, dir + "/" + name + ".json"), "read " + name + ".json");
    }

    @Override
    public boolean removeIfOwned(String name, String instanceId) throws IOException {
        return withSftp(sftp -> {
            Optional<Registration> current;
            try {
                current = readFile(sftp, dir + "/" + name + ".json");
            } catch (IOException unreadable) {
                return false;
            }
            if (current.isPresent() && instanceId.equals(current.get().instanceId())) {
                sftp.rm(dir + "/" + name + ".json");
                return true;
            }
            return false;
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
                if (!RegistryStore.isRegistrationFile(fileName)) {
                    continue;
                }
                SftpATTRS a = f.getAttrs();
                if (!a.isReg() || a.getSize() > MAX_FILE) {
                    entries.add(RegistryEntry.invalid(fileName, "not a regular file under 64 KiB"));
                    continue;
                }
                try {
                    entries.add(RegistryEntry.ok(fileName, readFile(sftp, dir + "/" + fileName).orElseThrow()));
                } catch (IOException | java.util.NoSuchElementException e) {
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
            mkdirs(sftp);
            String tmp = dir + "/" + RegistryStore.tempName("doctor");
            String renamed = dir + "/" + RegistryStore.tempName("doctor");
            try {
                sftp.put(new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)), tmp, ChannelSftp.OVERWRITE);
                sftp.chmod(0600, tmp);
                sftp.rename(tmp, renamed);
            } finally {
                for (String f : new String[] {tmp, renamed}) {
                    try {
                        sftp.rm(f);
                    } catch (SftpException gone) {
                        // already renamed or never written
                    }
                }
            }
            return null;
        }, "write test");
    }

    @Override
    public String location() {
        return "relay " + relay.description() + ":" + dir;
    }

    private void mkdirs(ChannelSftp sftp) throws SftpException {
        StringBuilder path = new StringBuilder(dir.startsWith("/") ? "/" : "");
        for (String part : dir.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            path.append(part);
            try {
                sftp.stat(path.toString());
            } catch (SftpException e) {
                if (e.id != ChannelSftp.SSH_FX_NO_SUCH_FILE) {
                    throw e;
                }
                try {
                    sftp.mkdir(path.toString());
                } catch (SftpException raced) {
                    sftp.stat(path.toString()); // another connector made it meanwhile: fine if it exists now
                }
            }
            path.append('/');
        }
    }

    private static Optional<Registration> readFile(ChannelSftp sftp, String path) throws SftpException, IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            sftp.get(path, out);
        } catch (SftpException e) {
            if (e.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) {
                return Optional.empty();
            }
            throw e;
        }
        if (out.size() > MAX_FILE) {
            throw new IOException(path + " is larger than 64 KiB");
        }
        return Optional.of(RegistrationJson.read(out.toString(StandardCharsets.UTF_8)));
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
            return " (permission denied: the relay user must be able to write there; make it with mode 1777 or "
                    + "choose another --registry-dir)";
        }
        return "";
    }
}
