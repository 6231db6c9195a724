package org.opencodemcp.connector.opencode;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The opencode package (launch, health, ports) is used by the configuration and the run, never the other way round. */
class PackageFlowTest {
    @Test
    void opencodeImportsNothingFromConfigCliOrRun() throws IOException {
        Path dir = Path.of("src", "main", "java", "org", "opencodemcp", "connector", "opencode");
        List<String> upward;
        try (Stream<Path> files = Files.list(dir)) {
            upward = files.filter(p -> p.toString().endsWith(".java")).flatMap(f -> {
                try {
                    return Files.readAllLines(f).stream().map(String::strip)
                            .filter(l -> l.matches("import org.opencodemcp.connector.(config|cli|run)\\..*"))
                            .map(l -> f.getFileName() + ": " + l);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
        assertThat(upward).isEmpty();
    }
}
