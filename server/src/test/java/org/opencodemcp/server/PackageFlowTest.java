package org.opencodemcp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Imports run down the flow registry -> instance -> opencode -> tools -> transport: the transport
 * serves what the root built and knows nothing of the layers above it.
 */
class PackageFlowTest {
    private static final Path MAIN = Path.of("src", "main", "java", "org", "opencodemcp", "server");

    @Test
    void theTransportImportsNoRegistryInstanceJobsOrRootClass() throws IOException {
        assertThat(importsMatching(MAIN.resolve("transport"),
                "import org.opencodemcp.server.(registry|instance|jobs)\\..*|import org.opencodemcp.server.[A-Z].*"))
                .isEmpty();
    }

    /** An instance knows nothing of the registry that keeps it (the registry's LiveInstance implements instance.Instance). */
    @Test
    void theInstancePackageImportsNoRegistryToolsJobsTransportOrRootClass() throws IOException {
        assertThat(importsMatching(MAIN.resolve("instance"),
                "import org.opencodemcp.server.(registry|tools|jobs|transport)\\..*|import org.opencodemcp.server.[A-Z].*"))
                .isEmpty();
    }

    /** The tools and the jobs see entries only through the read-only instance.Instance. */
    @Test
    void noPackageOutsideTheRegistryNamesLiveInstance() throws IOException {
        for (String pkg : new String[] {"instance", "opencode", "tools", "jobs", "transport", "config"}) {
            assertThat(importsMatching(MAIN.resolve(pkg), "import org.opencodemcp.server.registry.LiveInstance;")).isEmpty();
        }
    }

    /** The jobs ledger sits beside the tools: the tools use it, it uses nothing of the tools, the transport or the root. */
    @Test
    void theJobsImportNoToolsTransportOrRootClass() throws IOException {
        assertThat(importsMatching(MAIN.resolve("jobs"),
                "import org.opencodemcp.server.(tools|transport)\\..*|import org.opencodemcp.server.[A-Z].*"))
                .isEmpty();
    }

    /** The bottom of the flow: every package may use it, so it uses none of them. */
    @Test
    void theThreadsPackageImportsNoOtherServerPackage() throws IOException {
        assertThat(importsMatching(MAIN.resolve("threads"), "import org.opencodemcp.server\\..*")).isEmpty();
    }

    static List<String> importsMatching(Path dir, String regex) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    if (line.strip().matches(regex)) {
                        found.add(f.getFileName() + ": " + line.strip());
                    }
                }
            }
        }
        assertThat(dir).isDirectory();
        return found;
    }
}
