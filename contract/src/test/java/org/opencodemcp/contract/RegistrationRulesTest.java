package org.opencodemcp.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Each rule of plans/registration.md, one by one, with the reason a person reads. */
class RegistrationRulesTest {
    private static final String REST = "\"hostname\":\"h\",\"port\":1,\"localPort\":1,\"cwd\":\"/x\",\"connectedAt\":\"2026-01-01T00:00:00Z\"";

    @Test
    void readsTheOriginalBashFormatAndTheNewOptionalFields() throws Exception {
        Registration bash = RegistrationReader.read(Files.readAllBytes(RegistrationExamplesTest.EXAMPLES.resolve("valid/bash-original.json")));
        assertThat(bash.name()).isEqualTo("laptop-myproject");
        assertThat(bash.port()).isEqualTo(10042);
        assertThat(bash.localPort()).isEqualTo(4823);
        assertThat(bash.heartbeatAt()).isNull();
        assertThat(bash.connector()).isNull();

        Registration java = RegistrationReader.read(Files.readAllBytes(RegistrationExamplesTest.EXAMPLES.resolve("valid/java-connector.json")));
        assertThat(java.heartbeatAt()).isNotNull();
        assertThat(java.instanceId()).isNotBlank();
        assertThat(java.pid()).isEqualTo(81234L);
        assertThat(java.cwd()).isEqualTo("/srv/work/api v2");
        assertThat(java.connector()).isEqualTo("opencode-connected 0.1.0");
    }

    @Test
    void reasonsSayWhatIsWrong() {
        assertThat(reason("{\"name\":\"a/b\"," + REST + "}")).contains("path separators");
        assertThat(reason("{\"name\":\".x\"," + REST + "}")).contains("must not start with '.'");
        assertThat(reason("{\"name\":\"a\",\"hostname\":\"h\",\"port\":\"1\",\"localPort\":1,\"cwd\":\"/x\",\"connectedAt\":\"2026-01-01T00:00:00Z\"}"))
                .contains("\"port\" must be an integer, found string");
        assertThat(reason("{\"name\":\"a\",\"hostname\":\"h\",\"port\":1e30,\"localPort\":1,\"cwd\":\"/x\",\"connectedAt\":\"2026-01-01T00:00:00Z\"}"))
                .contains("port");
        assertThat(reason("{\"name\":\"a\",\"hostname\":\"h\",\"port\":99999999999999999999,\"localPort\":1,\"cwd\":\"/x\",\"connectedAt\":\"2026-01-01T00:00:00Z\"}"))
                .contains("out of range");
        assertThat(reason("{\"name\":\"a\",\"hostname\":\"h\",\"port\":1,\"localPort\":1,\"cwd\":\"/x\",\"connectedAt\":\"yesterday\"}"))
                .contains("ISO-8601");
        assertThat(reason("{\"name\":\"a\\u0000b\"," + REST + "}")).contains("NUL");
        assertThat(reason("{\"name\":\"a\"," + REST.replace("\"h\"", "\" \"") + "}")).contains("\"hostname\" is empty");
        assertThat(reason("{\"name\":\"a\"," + REST.replace("\"/x\"", "\"x/y\"") + "}")).contains("not an absolute path");
        assertThat(reason("{\"name\":\"a\"," + REST + ",\"pid\":\"7\"}")).contains("\"pid\" must be an integer");
        assertThat(reason("{\"name\":\"a\"," + REST + ",\"pid\":0}")).contains("\"pid\" must be a positive integer");
        assertThat(reason("{\"name\":\"a\"," + REST.replace(",\"connectedAt\":\"2026-01-01T00:00:00Z\"", "") + "}"))
                .contains("missing field \"connectedAt\"");
        assertThat(reason("")).contains("empty");
        assertThat(reason("  \n")).contains("empty");
        assertThat(reason("[1]")).contains("not a JSON object");
        assertThat(reason("[".repeat(5000))).contains("malformed JSON");
        assertThat(reason("{\"name\":\"a\"," + REST + ",\"note\":\"" + "x".repeat(RegistryFiles.MAX_REGISTRATION_BYTES) + "\"}"))
                .contains("over the 65536-byte limit");
    }

    @Test
    void aReasonQuotesUntrustedTextEscapedAndShort() {
        String r = reason("{\"name\":\"a\\nINFO forged " + "x".repeat(200) + "\"," + REST + "}");
        assertThat(r).doesNotContain("\n").contains("\\n").hasSizeLessThan(200);
    }

    @Test
    void cwdIsPosixOrAWindowsDrivePath() {
        assertThat(Registration.isAbsolutePath("/home/me")).isTrue();
        assertThat(Registration.isAbsolutePath("C:\\Users\\me")).isTrue();
        assertThat(Registration.isAbsolutePath("d:/work")).isTrue();
        assertThat(Registration.isAbsolutePath("C:relative")).isFalse();
        assertThat(Registration.isAbsolutePath("\\\\server\\share")).isFalse();
        assertThat(Registration.isAbsolutePath("relative/dir")).isFalse();
    }

    @Test
    void theRecordRefusesWhatTheReaderRefuses() {
        assertThatThrownBy(() -> new Registration(".x", "h", 1, 1, "/x", Instant.EPOCH, null, null, null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not start with '.'");
        assertThatThrownBy(() -> new Registration("x", "h", 0, 1, "/x", Instant.EPOCH, null, null, null, null, null, null))
                .hasMessageContaining("\"port\" is out of range");
        assertThatThrownBy(() -> new Registration("x", "h", 1, 1, "/x", null, null, null, null, null, null, null))
                .hasMessageContaining("connectedAt");
    }

    @Test
    void writerLeavesUnknownOptionalFieldsOutAndKeepsWholeSeconds() throws Exception {
        Registration bare = new Registration("n", "h", 1, 2, "/x", Instant.EPOCH, null, null, null, null, null, null);
        assertThat(RegistrationWriter.toJson(bare)).doesNotContain("heartbeatAt", "instanceId", "pid", "connector",
                "opencodeVersion").endsWith("}\n");
        Registration full = new Registration("laptop-proj", "laptop", 40123, 4823, "/home/me/proj",
                Instant.parse("2026-03-14T10:30:00Z"), Instant.parse("2026-03-14T10:31:00.123Z"), "abc-123", "1.18.33",
                4242L, "opencode-connected", "0.1.0");
        String json = RegistrationWriter.toJson(full);
        assertThat(json).contains("\"name\" : \"laptop-proj\"", "\"port\" : 40123", "\"localPort\" : 4823",
                "\"heartbeatAt\" : \"2026-03-14T10:31:00Z\"", "\"connector\" : {");
        assertThat(RegistrationReader.read(json.getBytes(StandardCharsets.UTF_8)).heartbeatAt())
                .isEqualTo(Instant.parse("2026-03-14T10:31:00Z"));
    }

    @Test
    void namesAreDerivedSanitizedAndValidated() {
        assertThat(InstanceName.derive("my host", "/home/me/Proj (copy)")).isEqualTo("my-host-Proj--copy-");
        assertThat(InstanceName.derive("h", "/")).isEqualTo("h-root");
        assertThat(InstanceName.derive("h", "C:\\Users\\me\\proj")).isEqualTo("h-proj");
        assertThat(InstanceName.derive("h".repeat(80), "/p")).hasSize(64);
        assertThat(InstanceName.derive(".hidden", "/p")).isEqualTo("-hidden-p");
        assertThat(InstanceName.problem("ok.name_1-2")).isNull();
        assertThat(InstanceName.problem("../etc")).contains("path separators");
        assertThat(InstanceName.problem("..")).contains("must not start with '.'");
        assertThat(InstanceName.problem("x".repeat(65))).contains("{1,64}");
    }

    @Test
    void registryFileNames() {
        assertThat(RegistryFiles.isRegistrationFileName("a.json")).isTrue();
        assertThat(RegistryFiles.isRegistrationFileName(".a.json.tmp-1f")).isFalse();
        assertThat(RegistryFiles.isRegistrationFileName(".json")).isFalse();
        assertThat(RegistryFiles.isRegistrationFileName("a\n.json")).isFalse();
        assertThat(RegistryFiles.isRegistrationFileName("a.auth")).isFalse();
        assertThat(RegistryFiles.isAuthFileName("a.auth")).isTrue();
        assertThat(RegistryFiles.sibling("a.json", ".json", ".auth")).isEqualTo("a.auth");
        assertThat(RegistryFiles.tempName("a.json")).startsWith(".a.json.tmp-");
        assertThat(RegistryFiles.DEFAULT_DIRECTORY).isEqualTo("/tmp/opencode-relay");
    }

    private static String reason(String content) {
        try {
            RegistrationReader.read(content.getBytes(StandardCharsets.UTF_8));
            return "accepted";
        } catch (InvalidRegistration e) {
            return e.getMessage();
        }
    }
}
