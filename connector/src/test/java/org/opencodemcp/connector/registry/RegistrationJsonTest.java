package org.opencodemcp.connector.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The connector's side of the registration contract (plans/registration.md and its example files). */
class RegistrationJsonTest {

    static final Path EXAMPLES = Path.of("..", "plans", "registration-examples");

    static Registration sample() {
        return new Registration("laptop-proj", "laptop", 40123, 4823, "/home/me/proj",
                Instant.parse("2026-03-14T10:30:00Z"), Instant.parse("2026-03-14T10:31:00.123Z"), "abc-123", "1.18.33",
                4242L, "opencode-connected", "0.1.0");
    }

    @Test
    void writesEveryFieldAndReadsItBack() throws IOException {
        String json = RegistrationJson.write(sample());
        assertThat(json).contains("\"name\" : \"laptop-proj\"", "\"port\" : 40123", "\"localPort\" : 4823",
                "\"connectedAt\" : \"2026-03-14T10:30:00Z\"", "\"heartbeatAt\" : \"2026-03-14T10:31:00Z\"",
                "\"connector\" : {");
        Registration back = RegistrationJson.read(json);
        assertThat(back.heartbeatAt()).isEqualTo(Instant.parse("2026-03-14T10:31:00Z"));
        assertThat(back).usingRecursiveComparison().ignoringFields("heartbeatAt").isEqualTo(sample());
    }

    @Test
    void leavesOptionalFieldsOutWhenUnknown() {
        Registration bare = new Registration("n", "h", 1, 2, "/x", Instant.EPOCH, null, null, null, null, null, null);
        assertThat(RegistrationJson.write(bare)).doesNotContain("heartbeatAt", "instanceId", "pid", "connector",
                "opencodeVersion");
    }

    @Test
    void acceptsEveryValidExample() throws IOException {
        List<Path> files = files(EXAMPLES.resolve("valid"));
        assertThat(files).isNotEmpty();
        for (Path f : files) {
            Registration r = RegistrationJson.read(Files.readString(f));
            assertThat(r.name()).as(f.toString()).matches(InstanceName.VALID);
            // what the connector writes from it must read back the same: the writer stays inside the contract
            assertThat(RegistrationJson.read(RegistrationJson.write(r)).port()).isEqualTo(r.port());
        }
    }

    @Test
    void rejectsEveryInvalidExample() throws IOException {
        List<Path> files = files(EXAMPLES.resolve("invalid"));
        assertThat(files).isNotEmpty();
        for (Path f : files) {
            assertThatThrownBy(() -> RegistrationJson.read(Files.readString(f))).as(f.toString())
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void namesAreDerivedSanitizedAndValidated() {
        assertThat(InstanceName.derive("my host", "/home/me/Proj (copy)")).isEqualTo("my-host-Proj--copy-");
        assertThat(InstanceName.derive("h", "/")).isEqualTo("h-root");
        assertThat(InstanceName.derive("h".repeat(80), "/p")).hasSize(64);
        assertThat(InstanceName.derive(".hidden", "/p")).isEqualTo("-hidden-p");
        assertThatThrownBy(() -> InstanceName.requireValid("../etc")).hasMessageContaining("--name");
        assertThatThrownBy(() -> InstanceName.requireValid(".x")).hasMessageContaining("must not start with '.'");
    }

    private static List<Path> files(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.json")) {
            s.forEach(out::add);
        }
        return out;
    }
}
