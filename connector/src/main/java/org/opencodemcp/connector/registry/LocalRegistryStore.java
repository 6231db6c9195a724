package org.opencodemcp.connector.registry;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.opencodemcp.connector.opencode.ServerCredential;
import org.opencodemcp.contract.AtomicFile;
import org.opencodemcp.contract.Registration;
import org.opencodemcp.contract.RegistrationReader;
import org.opencodemcp.contract.RegistrationWriter;
import org.opencodemcp.contract.RegistryFiles;
import org.opencodemcp.contract.BasicAuth;

/**
 * The registry directory on this machine (local-only mode, and {@code status} without a relay).
 *
 * <p>Writes are the contract's {@link AtomicFile} (hidden 0600 temp file, never a symlink followed,
 * renamed over the target). Reads check the file
 * with {@code lstat} (regular, size under the cap) and read at most the cap through an
 * {@code O_NOFOLLOW} handle. The directory must be the connector's own and not group/other-writable.
 */
public final class LocalRegistryStore implements RegistryStore {

    private static final FileAttribute<Set<PosixFilePermission>> DIR_0700 =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final Set<OpenOption> CREATE_NEW = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS);

    private final Path dir;
    private final Optional<ServerCredential> credential;
    private final Consumer<Path> afterTempCreated;

    /** A store that writes registrations only (status, doctor, --insecure-no-password). */
    public LocalRegistryStore(Path dir) {
        this(dir, Optional.empty());
    }

    /** With a credential, every {@link #write} first writes {@code <name>.auth}, and removal takes it away too. */
    public LocalRegistryStore(Path dir, Optional<ServerCredential> credential) {
        this(dir, credential, tmp -> { });
    }

    /** For tests: {@code afterTempCreated} runs between creating a temp file and writing it (an attacker's moment). */
    LocalRegistryStore(Path dir, Optional<ServerCredential> credential, Consumer<Path> afterTempCreated) {
        this.dir = dir;
        this.credential = credential;
        this.afterTempCreated = afterTempCreated;
    }

    @Override
    public void write(Registration registration) throws IOException {
        checkDirectory(true);
        if (credential.isPresent()) {
            // before the JSON: a server that sees the registration can already reach the instance
            writeAtomically(RegistryFiles.authFileName(registration.name()),
                    credential.get().authFileText().getBytes(StandardCharsets.UTF_8));
        }
        writeAtomically(registration.fileName(), RegistrationWriter.toBytes(registration));
    }

    private void writeAtomically(String fileName, byte[] bytes) throws IOException {
        AtomicFile.write(dir, fileName, bytes, afterTempCreated);
    }

    @Override
    public Optional<Registration> read(String name) throws IOException {
        Optional<byte[]> bytes = readBounded(dir.resolve(name + ".json"), RegistryFiles.MAX_REGISTRATION_BYTES);
        return bytes.isEmpty() ? Optional.empty()
                : Optional.of(RegistrationReader.read(bytes.get()));
    }

    @Override
    public Optional<ServerCredential> readAuth(String name) throws IOException {
        Path file = dir.resolve(RegistryFiles.authFileName(name));
        PosixFileAttributes a;
        try {
            a = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        int owner = (Integer) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        int me = myUid();
        if (!a.isRegularFile()) {
            throw new IOException(file + " is not a regular file");
        }
        if (owner != me || (mode & 077) != 0) {
            throw new IOException(file + " is owned by uid " + owner + " with mode " + RegistryDirRules.octal(mode)
                    + "; only a 0600 file of uid " + me + " is trusted");
        }
        Optional<byte[]> bytes = readBounded(file, BasicAuth.MAX_AUTH_FILE_BYTES);
        return bytes.isEmpty() ? Optional.empty()
                : Optional.of(ServerCredential.parseAuthFile(new String(bytes.get(), StandardCharsets.UTF_8)));
    }

    /** {@code lstat} first (regular, under the cap), then at most {@code cap} bytes through an O_NOFOLLOW handle. */
    private static Optional<byte[]> readBounded(Path file, long cap) throws IOException {
        PosixFileAttributes a;
        try {
            a = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (!a.isRegularFile()) {
            throw new IOException(file.getFileName() + " is not a regular file");
        }
        if (a.size() > cap) {
            throw new IOException(file.getFileName() + " is larger than " + cap + " bytes");
        }
        try (SeekableByteChannel in = Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer buf = ByteBuffer.allocate((int) cap + 1);
            while (buf.hasRemaining() && in.read(buf) > 0) {
                // fill up to the cap; a file that grew meanwhile is caught below
            }
            if (buf.position() > cap) {
                throw new IOException(file.getFileName() + " is larger than " + cap + " bytes");
            }
            byte[] bytes = new byte[buf.position()];
            buf.flip().get(bytes);
            return Optional.of(bytes);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean removeIfOwned(String name, String instanceId) throws IOException {
        boolean removed = false;
        Optional<Registration> current;
        try {
            current = read(name);
        } catch (IOException unreadable) {
            current = Optional.empty(); // not ours to judge: maybe half-written by someone else
        }
        if (current.isPresent() && instanceId.equals(current.get().instanceId())) {
            removed = Files.deleteIfExists(dir.resolve(name + ".json"));
        }
        // after the JSON (the contract's order), and only if it still holds this launch's secret
        if (credential.isPresent()) {
            Optional<ServerCredential> auth;
            try {
                auth = readAuth(name);
            } catch (IOException foreign) {
                auth = Optional.empty();
            }
            if (auth.isPresent() && auth.get().equals(credential.get())) {
                Files.deleteIfExists(dir.resolve(RegistryFiles.authFileName(name)));
            }
        }
        return removed;
    }

    @Override
    public List<RegistryEntry> list() throws IOException {
        List<RegistryEntry> entries = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return entries;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String fileName = f.getFileName().toString();
                if (!RegistryFiles.isRegistrationFileName(fileName)) {
                    continue;
                }
                try {
                    Optional<byte[]> bytes = readBounded(f, RegistryFiles.MAX_REGISTRATION_BYTES);
                    if (bytes.isPresent()) {
                        entries.add(RegistryEntry.ok(fileName,
                                RegistrationReader.read(bytes.get())));
                    }
                } catch (IOException e) {
                    entries.add(RegistryEntry.invalid(fileName, e.getMessage()));
                }
            }
        }
        entries.sort(java.util.Comparator.comparing(RegistryEntry::fileName));
        return entries;
    }

    @Override
    public Optional<String> directoryProblem() throws IOException {
        try {
            checkDirectory(false);
            return Optional.empty();
        } catch (UntrustedDirectoryException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** The directory belongs to someone else or others can write in it. */
    private static final class UntrustedDirectoryException extends IOException {
        UntrustedDirectoryException(String message) {
            super(message);
        }
    }

    @Override
    public void checkWritable() throws IOException {
        checkDirectory(true);
        Path tmp = dir.resolve(RegistryFiles.tempName("doctor"));
        Path renamed = dir.resolve(RegistryFiles.tempName("doctor"));
        try {
            try (FileChannel out = FileChannel.open(tmp, CREATE_NEW, AtomicFile.MODE_0600)) {
                out.write(ByteBuffer.wrap("{}".getBytes(StandardCharsets.UTF_8)));
            }
            Files.move(tmp, renamed, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
            Files.deleteIfExists(renamed);
        }
    }

    /**
     * Creates a missing directory with mode 0700 (parents as {@code mkdir -p}) when {@code create}, then
     * refuses one that is not this account's or is group/other-writable. A symlink to a directory is
     * judged by the directory it names.
     */
    private void checkDirectory(boolean create) throws IOException {
        if (create && !Files.exists(dir)) {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try {
                Files.createDirectory(dir, DIR_0700);
            } catch (FileAlreadyExistsException raced) {
                // another connector made it meanwhile: checked below like any existing one
            }
        }
        if (!Files.exists(dir)) {
            return; // nothing to judge yet (status on an empty machine)
        }
        if (!Files.isDirectory(dir)) {
            throw new UntrustedDirectoryException("the registry directory " + dir + " is not a directory");
        }
        String problem = RegistryDirRules.problem(dir.toString(), dir.toString(),
                (Integer) Files.getAttribute(dir, "unix:uid"), myUid(), (Integer) Files.getAttribute(dir, "unix:mode"));
        if (problem != null) {
            throw new UntrustedDirectoryException(problem);
        }
    }

    private static int myUid() {
        return (int) new UnixSystem().getUid();
    }

    @Override
    public String location() {
        return dir.toString();
    }
}
