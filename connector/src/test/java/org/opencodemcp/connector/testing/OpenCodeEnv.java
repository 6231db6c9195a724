package org.opencodemcp.connector.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.opencodemcp.connector.config.Settings;
import org.opencodemcp.connector.config.Timing;
import org.opencodemcp.testkit.FakeLlm;
import org.opencodemcp.testkit.OpenCodeBinary;
import org.opencodemcp.testkit.OpenCodeConfig;
import org.opencodemcp.testkit.OpenCodeServer;
import org.opencodemcp.testkit.TempDirs;

/**
 * What the connector needs to launch the real opencode in a test: the binary, a temp HOME and project,
 * a fake LLM, and the environment (inherited, minus the developer's OPENCODE_* settings, plus the
 * testkit's isolated settings, including the dead npm registry that keeps SIGTERM fast).
 */
public final class OpenCodeEnv implements AutoCloseable {

    private final Path root;
    private final Path project;
    private final FakeLlm llm;
    private final Map<String, String> env;

    private OpenCodeEnv(Path root, Path project, FakeLlm llm, Map<String, String> env) {
        this.root = root;
        this.project = project;
        this.llm = llm;
        this.env = env;
    }

    public static OpenCodeEnv create() {
        Path root = TempDirs.create("connector-it-");
        try {
            Path home = Files.createDirectories(root.resolve("home"));
            Path project = Files.createDirectories(root.resolve("project")).toRealPath();
            Files.writeString(project.resolve("README.md"), "# test project\n");
            FakeLlm llm = FakeLlm.start();
            Map<String, String> env = new LinkedHashMap<>();
            System.getenv().forEach((k, v) -> {
                if (!k.startsWith("OPENCODE_") && !k.equals("RELAY_SSH_CMD") && !k.equals("SSH_AUTH_SOCK")) {
                    env.put(k, v);
                }
            });
            env.putAll(OpenCodeServer.environment(home, OpenCodeConfig.json(llm)));
            return new OpenCodeEnv(root, project, llm, env);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String binary() {
        return OpenCodeBinary.locate().toString();
    }

    public Path project() {
        return project;
    }

    public Path root() {
        return root;
    }

    public Map<String, String> env() {
        return env;
    }

    /** Local-only, headless, registry in the temp root, fast heartbeats and backoff. */
    public Settings settings() {
        Timing timing = Timing.defaults().withHeartbeat(Duration.ofMillis(500))
                .withReconnect(Duration.ofMillis(200), Duration.ofSeconds(1)).withStopTimeout(Duration.ofSeconds(10));
        return Settings.localDefaults(binary(), project, env).withRegistryDir(root.resolve("registry").toString())
                .withName("it-instance").withTiming(timing);
    }

    @Override
    public void close() {
        llm.close();
        TempDirs.deleteRecursively(root);
    }
}
