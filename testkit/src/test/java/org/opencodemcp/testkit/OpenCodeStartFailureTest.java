package org.opencodemcp.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a test sees when the real part is missing or broken: a loud failure that says what to do. */
class OpenCodeStartFailureTest {
    private Path scratch;

    @AfterEach
    void cleanUp() {
        System.clearProperty("opencode.bin");
        TempDirs.deleteRecursively(scratch);
    }

    @Test
    void aMissingBinaryFailsWithInstallInstructions() {
        System.setProperty("opencode.bin", "/nonexistent/opencode");

        assertThatThrownBy(OpenCodeBinary::locate)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("/nonexistent/opencode")
                .hasMessageContaining("scripts/install-opencode");
    }

    @Test
    void theDefaultLookupFindsThePinnedVersion() {
        assertThat(OpenCodeBinary.version()).isEqualTo("1.18.33"); // surefire passes the parent pom's pin
        assertThat(OpenCodeBinary.locate()).isExecutable();
    }

    @Test
    void aServerThatDiesFailsTheStartWithItsOutput() throws Exception {
        // stands in for opencode losing the race for its port: it exits as 1.18.33 does then
        scratch = TempDirs.create("fake-bin-");
        Path script = scratch.resolve("opencode");
        Files.writeString(script, "#!/bin/sh\necho 'Error: Unexpected error' >&2\necho ServeError >&2\nexit 1\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        System.setProperty("opencode.bin", script.toString());

        Throwable failure = catchThrowable(() -> OpenCodeServer.builder().start());

        assertThat(failure).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exited with code 1 before listening")
                .hasMessageContaining("ServeError");
        Matcher log = Pattern.compile("Log (\\S+),").matcher(failure.getMessage());
        assertThat(log.find()).isTrue();
        Path logFile = Path.of(log.group(1));
        assertThat(logFile.getFileName()).hasToString("opencode-3.log"); // retried twice with other ports
        assertThat(Files.readString(logFile)).contains("ServeError"); // kept for the person reading the failure
        assertThat(logFile.resolveSibling("home")).doesNotExist();
        TempDirs.deleteRecursively(logFile.getParent());
    }
}
