package org.opencodemcp.connector.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The registry directory on this machine (local-only mode, and {@code status} without a relay). */
public final class LocalRegistryStore implements RegistryStore {

    private static final long MAX_FILE = 64 * 1024;

    private final Path dir;

    public LocalRegistryStore(Path dir) {
        this.dir = dir;
    }

    @Override
    public void write(Registration registration) throws IOException {
        Files.createDirectories(dir);
        Path tmp = dir.resolve(RegistryStore.tempName(registration.name()));
        try {
            // created 0600 from the start: there is never a moment when others can read it
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, RegistrationJson.write(registration), StandardCharsets.UTF_8,
                    StandardOpenOption.TRUNCATE_EXISTING);
            try {
                Files.move(tmp, dir.resolve(registration.fileName()), StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve(registration.fileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public Optional<Registration> read(String name) throws IOException {
        Path file = dir.resolve(name + ".json");
        try {
            return Optional.of(RegistrationJson.read(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean removeIfOwned(String name, String instanceId) throws IOException {
        Optional<Registration> current;
        try {
            current = read(name);
        } catch (IOException unreadable) {
            return false; // not ours to judge: maybe half-written by someone else
        }
        if (current.isPresent() && instanceId.equals(current.get().instanceId())) {
            return Files.deleteIfExists(dir.resolve(name + ".json"));
        }
        return false;
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
                if (!RegistryStore.isRegistrationFile(fileName)) {
                    continue;
                }
                if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) || Files.size(f) > MAX_FILE) {
                    entries.add(RegistryEntry.invalid(fileName, "not a regular file under 64 KiB"));
                    continue;
                }
                try {
                    entries.add(RegistryEntry.ok(fileName, RegistrationJson.read(Files.readString(f))));
                } catch (IOException e) {
                    entries.add(RegistryEntry.invalid(fileName, e.getMessage()));
                }
            }
        }
        entries.sort(java.util.Comparator.comparing(RegistryEntry::fileName));
        return entries;
    }

    @Override
    public void checkWritable() throws IOException {
        Files.createDirectories(dir);
        Path tmp = dir.resolve(RegistryStore.tempName("doctor"));
        Path renamed = dir.resolve(RegistryStore.tempName("doctor"));
        try {
            Files.writeString(tmp, "{}");
            Files.move(tmp, renamed, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
            Files.deleteIfExists(renamed);
        }
    }

    @Override
    public String location() {
        return dir.toString();
    }
}
