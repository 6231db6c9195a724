package org.opencodemcp.connector.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opencodemcp.connector.opencode.MiniHttp;
import org.opencodemcp.connector.opencode.ServerCredential;
import org.opencodemcp.connector.registry.LocalRegistryStore;
import org.opencodemcp.contract.Registration;
import org.opencodemcp.connector.testing.OpenCodeEnv;
import org.opencodemcp.testkit.Eventually;

/** The packaged jar as a person (or the server module's chain test) runs it: flags, env, signals, exit codes. */
class PackagedJarIT {

    static final Path JAR = Path.of(System.getProperty("connector.jar", "target/opencode-connected.jar"));

    OpenCodeEnv oc;

    @BeforeEach
    void setUp() {
        assertThat(JAR).as("run through 'mvn verify', which packages the jar first").exists();
        oc = OpenCodeEnv.create();
    }

    @AfterEach
    void tearDown() {
        oc.close();
    }

    Process run(Map<String, String> extraEnv, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(oc.root().resolve("out-" + System.nanoTime() + ".txt").toFile());
        pb.environment().clear();
        pb.environment().putAll(oc.env());
        pb.environment().putAll(extraEnv);
        return pb.start();
    }

    static String output(Process p, Path root) throws Exception {
        StringBuilder all = new StringBuilder();
        try (var files = Files.list(root)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("out-")).sorted().toList()) {
                all.append(Files.readString(f));
            }
        }
        return all.toString();
    }

    @Test
    void versionAndHelp() throws Exception {
        long t0 = System.nanoTime();
        Process p = run(Map.of(), "--version");
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(p.exitValue()).isZero();
        assertThat(output(p, oc.root())).startsWith("opencode-connected 0.1.0");
        System.out.println("MEASURED: java -jar opencode-connected.jar --version took " + ms + " ms; jar "
                + Files.size(JAR) / 1024 + " KiB");
        Process help = run(Map.of(), "--help");
        assertThat(help.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(output(help, oc.root()).replaceAll("\\s+", " ")).contains("--relay", "--headless",
                "--registry-dir", "status", "doctor", "--insecure-no-password", "OPENCODE_SERVER_PASSWORD",
                "<name>.auth", "every account on the relay");
    }

    @Test
    void aBadRelaySshCmdIsRefusedBeforeAnythingStarts() throws Exception {
        Process p = run(Map.of("RELAY_SSH_CMD", "ssh -J jump me@relay"), "--headless", "--opencode", oc.binary(),
                "--registry-dir", oc.root().resolve("reg").toString());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(output(p, oc.root())).contains("'-J' is not supported", "~/.ssh/config");
        assertThat(oc.root().resolve("reg")).doesNotExist();
    }

    @Test
    void headlessRunRegistersAndSigtermCleansUpWithOpencodesExitCode() throws Exception {
        Path registry = oc.root().resolve("registry");
        Path log = oc.root().resolve("connector.log");
        long t0 = System.nanoTime();
        Process p = run(Map.of("INSTANCE_NAME", "jar-it", "RELAY_REGISTRY_DIR", registry.toString()), "--headless",
                "--local", "--opencode", oc.binary(), "--cwd", oc.project().toString(), "--log-file", log.toString());
        LocalRegistryStore store = new LocalRegistryStore(registry);
        Eventually.await(Duration.ofSeconds(60), () -> assertThat(store.read("jar-it")).isPresent());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("MEASURED: launch to registration (local-only, real opencode serve) " + ms + " ms");
        Registration r = store.read("jar-it").orElseThrow();
        assertThat(r.pid()).isEqualTo(p.pid());
        assertThat(r.cwd()).isEqualTo(oc.project().toString());
        List<ProcessHandle> opencode = p.descendants().toList();
        assertThat(opencode).isNotEmpty();
        ServerCredential secret = store.readAuth("jar-it").orElseThrow();
        String password = secret.environment().get("OPENCODE_SERVER_PASSWORD");
        for (ProcessHandle h : opencode) { // every account on the machine can read a command line
            assertThat(Files.readString(Path.of("/proc", Long.toString(h.pid()), "cmdline"))).doesNotContain(password);
        }
        assertThat(Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline"))).doesNotContain(password);
        assertThat(Files.readString(registry.resolve("jar-it.json"))).doesNotContain(password);
        assertThat(MiniHttp.getLocal(r.port(), "/global/health", Optional.empty(), Duration.ofSeconds(5)).status())
                .isEqualTo(401);

        p.destroy(); // SIGTERM to the connector
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(143);
        assertThat(registry.resolve("jar-it.json")).doesNotExist();
        assertThat(opencode).noneMatch(ProcessHandle::isAlive);
        assertThat(Files.readString(log)).contains("registered jar-it", "received SIGTERM", "removed registration");
        assertThat(output(p, oc.root())).contains("instance jar-it", "done, opencode exit code 143");
        assertThat(registry.resolve("jar-it.auth")).doesNotExist();
        assertThat(Files.readString(log)).contains("with a password generated for this launch")
                .doesNotContain(password);
        assertThat(output(p, oc.root())).doesNotContain(password);
    }

    @Test
    void insecureNoPasswordSaysLoudlyWhatItGivesUpAndPublishesNoSecret() throws Exception {
        Path registry = oc.root().resolve("registry");
        Process p = run(Map.of("INSTANCE_NAME", "open-it", "RELAY_REGISTRY_DIR", registry.toString()), "--headless",
                "--local", "--insecure-no-password", "--opencode", oc.binary(), "--cwd", oc.project().toString(),
                "--log-file", oc.root().resolve("insecure.log").toString());
        try {
            LocalRegistryStore store = new LocalRegistryStore(registry);
            Eventually.await(Duration.ofSeconds(60), () -> assertThat(store.read("open-it")).isPresent());
            assertThat(registry.resolve("open-it.auth")).doesNotExist();
            int port = store.read("open-it").orElseThrow().port();
            assertThat(MiniHttp.getLocal(port, "/global/health", Optional.empty(), Duration.ofSeconds(5)).status())
                    .isEqualTo(200);
            assertThat(output(p, oc.root())).contains("WARNING --insecure-no-password", "WITHOUT A PASSWORD",
                    "Every account on the relay");
        } finally {
            p.destroy();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }
}
