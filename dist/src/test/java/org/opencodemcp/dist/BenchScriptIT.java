package org.opencodemcp.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/bench never starts a build by itself (on a shared machine that would bypass the build lock):
 * with a jar missing it stops and names the build command; only BENCH_REBUILD=1 lets it run the wrapper.
 * Run in a copy of the tree's layout whose {@code mvnw} only records that it was called.
 */
class BenchScriptIT {
    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aMissingJarStopsItWithTheBuildCommandAndNoBuild() throws Exception {
        Path root = fakeTree();
        var r = Processes.run(root, Map.of("BENCH_REBUILD", "0"), 20, List.of(root.resolve("scripts/bench").toString()));
        assertThat(r.exitCode()).as(r.both()).isEqualTo(2);
        assertThat(r.err()).contains("server/target/opencode-mcp.jar is missing")
                .contains("./mvnw -B -q -DskipTests package").contains("BENCH_REBUILD=1");
        assertThat(r.out()).isEmpty();
        assertThat(root.resolve("mvnw-called")).doesNotExist();
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aMissingDriverAloneStopsItToo() throws Exception {
        Path root = fakeTree();
        Files.createDirectories(root.resolve("server/target"));
        Files.writeString(root.resolve("server/target/opencode-mcp.jar"), "not read");
        var r = Processes.run(root, Map.of(), 20, List.of(root.resolve("scripts/bench").toString()));
        assertThat(r.exitCode()).as(r.both()).isEqualTo(2);
        assertThat(r.err()).contains("bench/target/opencode-mcp-bench.jar is missing");
        assertThat(root.resolve("mvnw-called")).doesNotExist();
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void benchRebuildLetsItRunTheWrapper() throws Exception {
        Path root = fakeTree();
        var r = Processes.run(root, Map.of("BENCH_REBUILD", "1"), 20, List.of(root.resolve("scripts/bench").toString()));
        assertThat(r.exitCode()).as(r.both()).isNotZero(); // the fake wrapper fails the build
        assertThat(Files.readString(root.resolve("mvnw-called"))).contains("-pl server,bench -am package");
    }

    /** scripts/bench as in the tree, and an mvnw that writes its arguments to mvnw-called and fails. */
    private Path fakeTree() throws Exception {
        Path root = tmp.resolve("tree");
        Files.createDirectories(root.resolve("scripts"));
        Path bench = Files.copy(DeploymentFilesIT.REPO.resolve("scripts/bench"), root.resolve("scripts/bench"));
        Files.setPosixFilePermissions(bench, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path mvnw = Files.writeString(root.resolve("mvnw"), "#!/bin/sh\necho \"$@\" >> \"$(dirname \"$0\")/mvnw-called\"\nexit 1\n");
        Files.setPosixFilePermissions(mvnw, PosixFilePermissions.fromString("rwxr-xr-x"));
        return root;
    }
}
