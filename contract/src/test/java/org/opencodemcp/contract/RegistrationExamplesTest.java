package org.opencodemcp.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every example file of plans/registration-examples: valid ones read (and write back the same), invalid ones are refused with a reason. */
class RegistrationExamplesTest {
    static final Path EXAMPLES = Path.of("..", "plans", "registration-examples");

    static List<Path> validRegistrations() throws IOException {
        return list("valid", ".json");
    }

    static List<Path> invalidRegistrations() throws IOException {
        return list("invalid", ".json");
    }

    static List<Path> validAuthFiles() throws IOException {
        return list("valid", ".auth");
    }

    static List<Path> invalidAuthFiles() throws IOException {
        return list("invalid", ".auth");
    }

    private static List<Path> list(String kind, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES.resolve(kind))) {
            List<Path> all = files.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList();
            assertThat(all).as(suffix + " examples in " + kind).isNotEmpty();
            return all;
        }
    }

    @ParameterizedTest
    @MethodSource("validRegistrations")
    void readsEveryValidExampleAndWritesItBackTheSame(Path file) throws Exception {
        Registration r = RegistrationReader.read(Files.readAllBytes(file));
        assertThat(r.name()).matches(InstanceName.VALID).doesNotStartWith(".");
        assertThat(r.port()).isBetween(1, 65535);
        assertThat(Registration.isAbsolutePath(r.cwd())).isTrue();
        // the writer stays inside the contract: what it writes reads back as the same registration
        assertThat(RegistrationReader.read(RegistrationWriter.toBytes(r))).isEqualTo(r);
    }

    @ParameterizedTest
    @MethodSource("invalidRegistrations")
    void refusesEveryInvalidExampleWithAReason(Path file) {
        assertThatThrownBy(() -> RegistrationReader.read(Files.readAllBytes(file)))
                .isInstanceOf(InvalidRegistration.class)
                .satisfies(e -> assertThat(e.getMessage()).isNotBlank().doesNotContain("\n", "\u0000"));
    }

    @ParameterizedTest
    @MethodSource("validAuthFiles")
    void readsEveryValidAuthFile(Path file) throws Exception {
        BasicAuth auth = BasicAuth.parseAuthFile(Files.readString(file, StandardCharsets.UTF_8));
        assertThat(auth.user()).isNotEmpty();
        assertThat(BasicAuth.parseAuthFile(auth.authFileText())).isEqualTo(auth);
    }

    @ParameterizedTest
    @MethodSource("invalidAuthFiles")
    void refusesEveryInvalidAuthFile(Path file) {
        assertThatThrownBy(() -> BasicAuth.parseAuthFile(Files.readString(file, StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).isNotBlank());
    }
}
