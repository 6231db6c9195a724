package org.opencodemcp.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release as a new user meets it: the tarball from this build, unpacked and installed by its own
 * install script into a fresh HOME, then the installed commands run from ~/.local/bin (--version,
 * --help, an MCP initialize over stdio, exit on stdin EOF), installed again (idempotent), uninstalled.
 */
class ReleaseInstallIT {
    static final String VERSION = System.getProperty("release.version");
    static final Path TARBALL = Path.of(System.getProperty("release.tarball"));

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void tarballHoldsBothJarsLaunchersUnitsAndReadme() throws Exception {
        var r = Processes.run(tmp, Map.of(), 20, List.of("tar", "-tzvf", TARBALL.toString()));
        assertThat(r.exitCode()).as(r.both()).isZero();
        String top = "opencode-mcp-" + VERSION + "/";
        for (String entry : List.of("lib/opencode-mcp.jar", "lib/opencode-connected.jar", "bin/opencode-mcp",
                "bin/opencode-connected", "install", "README.md", "VERSION", "systemd/opencode-mcp.service",
                "systemd/opencode-connected@.service", "container/Containerfile", "container/setup.sh",
                "kubernetes/base/kustomization.yaml", "kubernetes/overlays/relay-sshd/kustomization.yaml")) {
            assertThat(r.out()).as(entry).contains(top + entry);
        }
        // launchers and the install script are executable in the tarball itself
        assertThat(r.out().lines().filter(l -> l.endsWith(top + "bin/opencode-mcp") || l.endsWith(top + "install")))
                .hasSize(2).allMatch(l -> l.startsWith("-rwxr-xr-x"));
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void installsIntoAFreshHomeAndRunsAsANewUserWould() throws Exception {
        Path release = unpack(tmp.resolve("download"));
        Path home = Files.createDirectories(tmp.resolve("home"));
        Map<String, String> env = userEnv(home);

        var install = Processes.run(release, env, 60, List.of(release.resolve("install").toString()));
        assertThat(install.exitCode()).as(install.both()).isZero();
        Path bin = home.resolve(".local/bin");
        Path prefix = home.resolve(".local/share/opencode-mcp");
        assertThat(Files.readSymbolicLink(bin.resolve("opencode-mcp"))).isEqualTo(prefix.resolve("current/bin/opencode-mcp"));
        assertThat(Files.readSymbolicLink(prefix.resolve("current"))).isEqualTo(Path.of(VERSION));
        assertThat(prefix.resolve(VERSION).resolve("lib/opencode-mcp.jar")).isRegularFile();

        // again: same result, nothing left behind
        var again = Processes.run(release, env, 60, List.of(release.resolve("install").toString()));
        assertThat(again.exitCode()).as(again.both()).isZero();
        try (var listing = Files.list(prefix)) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(VERSION, "current");
        }

        // the commands, found on PATH as a user types them, from a directory unrelated to the release
        var version = Processes.run(home, env, 60, shell("opencode-mcp --version"));
        assertThat(version.exitCode()).as(version.both()).isZero();
        assertThat(version.out()).contains("opencode-mcp " + VERSION).contains("runtime:").contains("class cache:");
        var help = Processes.run(home, env, 60, shell("opencode-mcp --help"));
        assertThat(help.exitCode()).as(help.both()).isZero();
        assertThat(help.out()).contains("Usage: opencode-mcp").contains("--http").contains("RELAY_REGISTRY_DIR");
        var connector = Processes.run(home, env, 60, shell("opencode-connected --version"));
        assertThat(connector.exitCode()).as(connector.both()).isZero();
        assertThat(connector.out()).contains(VERSION);

        assertInitializeOverStdio(home, env);

        var uninstall = Processes.run(home, env, 60, List.of(prefix.resolve("current/install").toString(), "--uninstall"));
        assertThat(uninstall.exitCode()).as(uninstall.both()).isZero();
        assertThat(bin.resolve("opencode-mcp")).doesNotExist();
        assertThat(bin.resolve("opencode-connected")).doesNotExist();
        assertThat(prefix).doesNotExist();
    }

    /** What an MCP client does: start the command, send initialize, read the answer, close stdin. */
    private void assertInitializeOverStdio(Path home, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(shell("exec opencode-mcp")).directory(home.toFile())
                .redirectError(tmp.resolve("server-stderr.txt").toFile());
        pb.environment().putAll(env);
        pb.environment().put("RELAY_REGISTRY_DIR", tmp.resolve("registry").toString());
        Process server = pb.start();
        try {
            OutputStream in = server.getOutputStream();
            in.write(("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                    + "\"capabilities\":{},\"clientInfo\":{\"name\":\"release-it\",\"version\":\"1\"}}}\n")
                    .getBytes(StandardCharsets.UTF_8));
            in.flush();
            var reader = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            // the first start of a new install makes the class-data cache first (a training run): seconds
            String line = CompletableFuture.supplyAsync(() -> {
                try {
                    return reader.readLine();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }).get(90, TimeUnit.SECONDS);
            assertThat(line).as(Files.readString(tmp.resolve("server-stderr.txt")))
                    .contains("\"id\":1").contains("\"serverInfo\"").contains("\"protocolVersion\"");
            in.close();
            assertThat(server.waitFor(10, TimeUnit.SECONDS)).as("exits when stdin closes").isTrue();
            assertThat(server.exitValue()).isZero();
        } finally {
            server.destroyForcibly();
        }
    }

    private Path unpack(Path dir) throws Exception {
        Files.createDirectories(dir);
        var r = Processes.run(dir, Map.of(), 60, List.of("tar", "-xzf", TARBALL.toString()));
        assertThat(r.exitCode()).as(r.both()).isZero();
        return dir.resolve("opencode-mcp-" + VERSION);
    }

    /** A command line as a user types it: the shell finds the command on the user's PATH. */
    static List<String> shell(String commandLine) {
        return List.of("bash", "-c", commandLine);
    }

    /** A new user's environment: HOME, PATH with ~/.local/bin first, no XDG overrides from the test runner. */
    static Map<String, String> userEnv(Path home) {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("PATH", home.resolve(".local/bin") + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("XDG_DATA_HOME", home.resolve(".local/share").toString());
        env.put("XDG_CACHE_HOME", home.resolve(".cache").toString());
        env.put("XDG_STATE_HOME", home.resolve(".local/state").toString());
        return env;
    }
}
