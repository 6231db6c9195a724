package org.opencodemcp.server.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The server side of the registration contract, checked against the shared example files in plans/. */
class RegistrationParserTest {
    private static final Path EXAMPLES = Path.of("..", "plans", "registration-examples");
    private final RegistrationParser parser = new RegistrationParser(new ObjectMapper());

    static List<Path> valid() throws IOException {
        return list("valid");
    }

    static List<Path> invalid() throws IOException {
        return list("invalid");
    }

    private static List<Path> list(String kind) throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES.resolve(kind))) {
            List<Path> all = files.sorted().toList();
            assertThat(all).as("example files in " + kind).isNotEmpty();
            return all;
        }
    }

    @ParameterizedTest
    @MethodSource("valid")
    void acceptsEveryValidExample(Path file) throws Exception {
        Registration r = parser.parse(Files.readAllBytes(file));
        assertThat(r.name()).matches("[A-Za-z0-9._-]{1,64}");
        assertThat(r.port()).isBetween(1, 65535);
        assertThat(r.cwd()).startsWith("/");
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void rejectsEveryInvalidExampleWithAReason(Path file) {
        assertThatThrownBy(() -> parser.parse(Files.readAllBytes(file)))
                .isInstanceOf(RegistrationParser.InvalidRegistration.class)
                .satisfies(e -> assertThat(e.getMessage()).isNotBlank());
    }

    @Test
    void readsTheOriginalBashFormatAndTheNewOptionalFields() throws Exception {
        Registration bash = parser.parse(Files.readAllBytes(EXAMPLES.resolve("valid/bash-original.json")));
        assertThat(bash.name()).isEqualTo("laptop-myproject");
        assertThat(bash.port()).isEqualTo(10042);
        assertThat(bash.localPort()).isEqualTo(4823);
        assertThat(bash.heartbeatAt()).isNull();

        Registration java = parser.parse(Files.readAllBytes(EXAMPLES.resolve("valid/java-connector.json")));
        assertThat(java.heartbeatAt()).isNotNull();
        assertThat(java.instanceId()).isNotBlank();
        assertThat(java.pid()).isEqualTo(81234L);
        assertThat(java.cwd()).isEqualTo("/srv/work/api v2");
    }

    @Test
    void reasonsSayWhatIsWrong() {
        assertThat(reason("{\"name\":\"a/b\",\"hostname\":\"h\",\"port\":1,\"localPort\":1,\"cwd\":\"/x\",\"connectedAt\":\"2026-01-01T00:00:00Z\"}"))
                .contains("path separators");
        assertThat(reason("{\"name\":\"a\",\"hostname\":\"h\",\"port\":\"1\",\"localPort\":1,\"cwd\":\"/x\",\"connectedAt\":\"2026-01-01T00:00:00Z\"}"))
                .contains("\"port\" must be an integer");
        assertThat(reason("{\"name\":\"a\",\"hostname\":\"h\",\"port\":1e30,\"localPort\":1,\"cwd\":\"/x\",\"connectedAt\":\"2026-01-01T00:00:00Z\"}"))
                .contains("port");
        assertThat(reason("{\"name\":\"a\",\"hostname\":\"h\",\"port\":99999999999999999999,\"localPort\":1,\"cwd\":\"/x\",\"connectedAt\":\"2026-01-01T00:00:00Z\"}"))
                .contains("out of range");
        assertThat(reason("{\"name\":\"a\",\"hostname\":\"h\",\"port\":1,\"localPort\":1,\"cwd\":\"/x\",\"connectedAt\":\"yesterday\"}"))
                .contains("ISO-8601");
        assertThat(reason("{\"name\":\"a\\u0000b\",\"hostname\":\"h\",\"port\":1,\"localPort\":1,\"cwd\":\"/x\",\"connectedAt\":\"2026-01-01T00:00:00Z\"}"))
                .contains("NUL");
        assertThat(reason("")).contains("empty");
        assertThat(reason("[" .repeat(5000))).contains("malformed JSON");
    }

    private String reason(String content) {
        try {
            parser.parse(content.getBytes(StandardCharsets.UTF_8));
            return "accepted";
        } catch (RegistrationParser.InvalidRegistration e) {
            return e.getMessage();
        }
    }
}
