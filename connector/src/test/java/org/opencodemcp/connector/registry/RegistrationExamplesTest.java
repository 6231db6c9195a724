package org.opencodemcp.connector.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencodemcp.contract.Registration;

/**
 * The connector's side of the registration contract (plans/registration.md): its store reads the shared
 * example files as the contract says (the rules themselves are tested in the contract module), and what
 * it writes reads back the same.
 */
class RegistrationExamplesTest {

    static final Path EXAMPLES = Path.of("..", "plans", "registration-examples");

    @TempDir
    Path dir;

    static Registration sample() {
        return new Registration("laptop-proj", "laptop", 40123, 4823, "/home/me/proj",
                Instant.parse("2026-03-14T10:30:00Z"), Instant.parse("2026-03-14T10:31:00.123Z"), "abc-123", "1.18.33",
                4242L, "opencode-connected", "0.1.0");
    }

    @Test
    void theStoreListsEveryValidExampleAsARegistrationAndEveryInvalidOneWithAReason() throws IOException {
        Path registry = Files.createDirectory(dir.resolve("registry"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        List<String> valid = copy("valid", registry);
        List<String> invalid = copy("invalid", registry);
        assertThat(valid).isNotEmpty();
        assertThat(invalid).isNotEmpty();
        Map<String, RegistryEntry> listed = new LocalRegistryStore(registry).list().stream()
                .collect(Collectors.toMap(RegistryEntry::fileName, e -> e));
        assertThat(listed.keySet()).containsExactlyInAnyOrderElementsOf(
                java.util.stream.Stream.concat(valid.stream(), invalid.stream()).toList());
        for (String f : valid) {
            assertThat(listed.get(f).registration()).as(f).isPresent();
        }
        for (String f : invalid) {
            assertThat(listed.get(f).registration()).as(f).isEmpty();
            assertThat(listed.get(f).problem()).as(f).isNotBlank();
        }
    }

    @Test
    void whatTheStoreWritesReadsBackTheSame() throws IOException {
        LocalRegistryStore store = new LocalRegistryStore(dir.resolve("registry"));
        store.write(sample());
        assertThat(store.read("laptop-proj")).contains(sample().heartbeat(Instant.parse("2026-03-14T10:31:00Z")));
    }

    /** Copies the {@code *.json} examples of {@code kind} into {@code to} under a prefixed name; returns the names. */
    private static List<String> copy(String kind, Path to) throws IOException {
        List<String> names = new java.util.ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(EXAMPLES.resolve(kind), "*.json")) {
            for (Path f : s) {
                String name = kind + "-" + f.getFileName();
                Files.copy(f, to.resolve(name));
                names.add(name);
            }
        }
        return names;
    }
}
