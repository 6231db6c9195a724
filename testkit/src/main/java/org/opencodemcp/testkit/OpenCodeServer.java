package org.opencodemcp.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real {@code opencode serve} on 127.0.0.1, in a temp HOME, talking to a {@link FakeLlm}. Started as
 * a direct child of the JVM so that its pid is opencode's own (a wrapper script or npx would leave opencode running as a grandchild) and stop() really
 * stops it. Always close it; a shutdown hook kills what a crashed test leaves behind.
 */
public final class OpenCodeServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OpenCodeServer.class);
    /** stdout line that says the server is ready; the SDK waits for the same line. */
    private static final Pattern LISTENING = Pattern.compile("opencode server listening on\\s+(https?://\\S+)");
    /** Generous: the machine running the tests may be busy building other modules. */
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final int START_ATTEMPTS = 3;
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final ProcessLog output;
    private final String baseUrl;
    private final int port;
    private final Path tempRoot;
    private final Path home;
    private final Path directory;
    private final FakeLlm llm;
    private final boolean ownsLlm;

    private OpenCodeServer(Process process, ProcessLog output, String baseUrl, Path tempRoot, Path home,
            Path directory, FakeLlm llm, boolean ownsLlm) {
        this.process = process;
        this.output = output;
        this.baseUrl = baseUrl;
        this.port = URI.create(baseUrl).getPort();
        this.tempRoot = tempRoot;
        this.home = home;
        this.directory = directory;
        this.llm = llm;
        this.ownsLlm = ownsLlm;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The environment every test opencode runs with (also for tests that start opencode themselves).
     * Put it over the inherited environment after dropping inherited {@code OPENCODE_*} variables (a
     * developer's own OPENCODE_SERVER_PASSWORD would otherwise leak in).
     *
     * @param home the isolated HOME; XDG dirs are pinned under it too, so nothing touches the real ones
     * @param configJson inline config, usually {@link OpenCodeConfig#json(FakeLlm)}
     */
    public static Map<String, String> environment(Path home, String configJson) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        env.put("XDG_DATA_HOME", home.resolve(".local/share").toString());
        env.put("XDG_STATE_HOME", home.resolve(".local/state").toString());
        env.put("XDG_CACHE_HOME", home.resolve(".cache").toString());
        env.put("OPENCODE_CONFIG_CONTENT", configJson);
        env.put("OPENCODE_DISABLE_MODELS_FETCH", "1");
        env.put("OPENCODE_DISABLE_AUTOUPDATE", "1");
        env.put("OPENCODE_DISABLE_LSP_DOWNLOAD", "1");
        env.put("OPENCODE_DISABLE_SHARE", "1");
        // No registry: otherwise opencode starts a background plugin install and then ignores SIGTERM
        // for about 30 s. Port 9 (discard) has no listener, so the install fails at once.
        env.put("npm_config_registry", "http://127.0.0.1:9/");
        env.put("HTTPS_PROXY", "http://127.0.0.1:9");
        env.put("https_proxy", "http://127.0.0.1:9");
        // but the fake LLM on loopback must never go through any proxy
        env.put("NO_PROXY", "127.0.0.1,localhost");
        env.put("no_proxy", "127.0.0.1,localhost");
        return env;
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:PORT}, as opencode printed it. */
    public String baseUrl() {
        return baseUrl;
    }

    /** opencode's own pid (it is our direct child). */
    public long pid() {
        return process.pid();
    }

    /** The project dir: opencode's cwd and default instance directory. */
    public Path directory() {
        return directory;
    }

    public Path home() {
        return home;
    }

    /** opencode's stdout and stderr (stderr lines prefixed with {@code [err] }). Deleted by close(). */
    public Path log() {
        return output.file();
    }

    /** The last lines of opencode's output, for assertion messages. */
    public String logTail() {
        return output.tail();
    }

    /** The fake LLM this opencode talks to (the builder's, or one it started and closes itself). */
    public FakeLlm llm() {
        return llm;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, up to 5 s grace, then SIGKILL; children (tool commands) are killed too. */
    public void stop() {
        List<ProcessHandle> children = process.descendants().toList();
        if (process.isAlive()) {
            process.destroy();
            if (!waitFor(STOP_GRACE)) {
                log.warn("opencode pid {} ignored SIGTERM for {}; killing it", pid(), STOP_GRACE);
                process.destroyForcibly();
                waitFor(STOP_GRACE);
            }
        }
        reapChildren(children);
    }

    /** SIGKILL, as a crash or an OOM kill would end it. */
    public void killHard() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroyForcibly();
        waitFor(STOP_GRACE);
        reapChildren(children);
    }

    /** stop(), then delete the temp HOME (and the temp project if it made one). Best effort. */
    @Override
    public void close() {
        try {
            stop();
        } finally {
            if (ownsLlm) {
                llm.close();
            }
            TempDirs.deleteRecursively(tempRoot);
        }
    }

    @Override
    public String toString() {
        return "OpenCodeServer[pid " + process.pid() + ", " + baseUrl + ", " + directory + "]";
    }

    private boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    private void reapChildren(List<ProcessHandle> children) {
        for (ProcessHandle child : children) {
            if (child.isAlive()) {
                child.destroyForcibly();
            }
        }
        for (ProcessHandle child : children) {
            try {
                child.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (ExecutionException | TimeoutException e) {
                log.warn("child {} of opencode did not exit: {}", child.pid(), e.toString());
            }
        }
        if (!process.isAlive()) {
            ProcessReaper.unregister(process.toHandle());
        }
    }

    // ---- start -----------------------------------------------------------------------------------

    /** Options for one opencode. Everything is optional. */
    public static final class Builder {
        private Path directory;
        private FakeLlm llm;
        private String permission;
        private String password;
        private String username;
        private final Map<String, String> extraEnv = new LinkedHashMap<>();
        private String version;

        private Builder() {}

        /** Runs this release instead of the pinned one (see {@link OpenCodeBinary#compatVersions()}). */
        public Builder version(String release) {
            this.version = release;
            return this;
        }

        /** The project dir (cwd); default: a fresh temp git repo with a committed README.md, deleted on close. */
        public Builder directory(Path project) {
            this.directory = project;
            return this;
        }

        /** The fake LLM to use; default: the server starts its own and closes it on close. */
        public Builder llm(FakeLlm llm) {
            this.llm = llm;
            return this;
        }

        /** opencode's {@code permission} config, e.g. {@code {"bash":"ask","edit":"ask"}}. */
        public Builder permission(String json) {
            this.permission = json;
            return this;
        }

        /** Turns on HTTP Basic auth ({@code OPENCODE_SERVER_PASSWORD}). */
        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /** Basic auth user ({@code OPENCODE_SERVER_USERNAME}); opencode's default is "opencode". */
        public Builder username(String username) {
            this.username = username;
            return this;
        }

        /** Any extra variable; applied last, so it can override the defaults. */
        public Builder env(String key, String value) {
            extraEnv.put(key, value);
            return this;
        }

        /** Starts opencode and returns once {@code /global/health} answers; throws with the log tail if not. */
        public OpenCodeServer start() {
            Path binary = version == null ? OpenCodeBinary.locate() : OpenCodeBinary.locate(version);
            Path tempRoot = TempDirs.create("opencode-test-");
            boolean ownsLlm = llm == null;
            FakeLlm fake = ownsLlm ? FakeLlm.start() : llm;
            try {
                Path home = Files.createDirectories(tempRoot.resolve("home"));
                Path project = directory != null ? directory.toRealPath() : newProject(tempRoot, home);
                String config = OpenCodeConfig.json(fake, permission);
                for (int attempt = 1; ; attempt++) {
                    ProcessLog output = new ProcessLog(tempRoot.resolve("opencode-" + attempt + ".log"), LISTENING);
                    Process process = launch(binary, project, home, config, output);
                    try {
                        String url = awaitReady(process, output);
                        log.info("opencode pid {} listening on {} (cwd {}, log {})",
                                process.pid(), url, project, output.file());
                        return new OpenCodeServer(process, output, url, tempRoot, home, project, fake, ownsLlm);
                    } catch (RuntimeException e) {
                        boolean exitedByItself = !process.isAlive();
                        ProcessReaper.killTree(process.toHandle());
                        ProcessReaper.unregister(process.toHandle());
                        // the free port can be taken between Ports.free() and opencode's bind: try another
                        if (attempt < START_ATTEMPTS && exitedByItself && portTaken(output.tail())) {
                            log.warn("opencode could not bind its port; retrying ({})", attempt);
                            continue;
                        }
                        throw e;
                    }
                }
            } catch (IOException | RuntimeException e) {
                if (ownsLlm) {
                    fake.close();
                }
                // keep the logs that the failure message points to; drop the rest
                TempDirs.deleteRecursively(tempRoot.resolve("home"));
                TempDirs.deleteRecursively(tempRoot.resolve("project"));
                if (e instanceof IOException io) {
                    // the temp dirs or the launch itself (e.g. "Text file busy" while npm still writes the binary)
                    throw new UncheckedIOException("cannot start opencode " + binary + ": " + io.getMessage(), io);
                }
                throw (RuntimeException) e;
            }
        }

        /**
         * A git repository with one commit holding a README.md. Git matters: for a folder outside git,
         * opencode files sessions under the "global" project and its session diffs stay empty.
         */
        private static Path newProject(Path tempRoot, Path home) throws IOException {
            Path project = Files.createDirectories(tempRoot.resolve("project"));
            Files.writeString(project.resolve("README.md"), "# Test project\n\nCreated by the testkit.\n");
            git(project, home, "init", "-q");
            git(project, home, "add", "-A");
            git(project, home, "-c", "user.name=testkit", "-c", "user.email=testkit@localhost",
                    "-c", "commit.gpgsign=false", "commit", "-q", "-m", "Initial commit");
            return project;
        }

        /** Runs git isolated from the developer's own git config (hooks, signing, templates). */
        private static void git(Path project, Path home, String... args) throws IOException {
            List<String> command = new ArrayList<>(List.of("git"));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true);
            builder.environment().put("HOME", home.toString());
            builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
            builder.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
            Process git;
            try {
                git = builder.start();
            } catch (IOException e) {
                throw new IllegalStateException("git is needed for the temp project (apt-get install git)", e);
            }
            try (var out = git.getInputStream()) {
                String output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
                if (git.waitFor() != 0) {
                    throw new IllegalStateException(command + " failed in " + project + ": " + output);
                }
            } catch (InterruptedException e) {
                git.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while running " + command, e);
            }
        }

        private Process launch(Path binary, Path project, Path home, String config, ProcessLog output)
                throws IOException {
            int port = Ports.free();
            ProcessBuilder builder = new ProcessBuilder(binary.toString(), "serve",
                    "--port", Integer.toString(port), "--hostname", "127.0.0.1").directory(project.toFile());
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(key -> key.startsWith("OPENCODE_"));
            env.putAll(environment(home, config));
            if (password != null) {
                env.put("OPENCODE_SERVER_PASSWORD", password);
            }
            if (username != null) {
                env.put("OPENCODE_SERVER_USERNAME", username);
            }
            env.putAll(extraEnv);
            Process process = builder.start();
            ProcessReaper.register(process.toHandle());
            process.getOutputStream().close(); // serve reads no stdin
            output.drain(process, "opencode-" + process.pid());
            return process;
        }

        /** Waits for the "listening" line, then for a health answer (a connection made before it listens can hang). */
        private String awaitReady(Process process, ProcessLog output) {
            long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
            String url = null;
            while (url == null) {
                try {
                    Matcher line = output.match().get(100, TimeUnit.MILLISECONDS);
                    url = line.group(1);
                } catch (TimeoutException e) {
                    if (!process.isAlive()) {
                        throw startFailure("exited with code " + process.exitValue() + " before listening", output);
                    }
                    if (System.nanoTime() - deadline > 0) {
                        throw startFailure("printed no 'listening on' line within " + STARTUP_TIMEOUT, output);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw startFailure("start interrupted", output);
                } catch (ExecutionException e) {
                    throw startFailure("log reader failed: " + e.getCause(), output);
                }
            }
            HttpRequest.Builder probe = HttpRequest.newBuilder(URI.create(url + "/global/health"))
                    .timeout(Duration.ofSeconds(2)).GET();
            if (password != null) {
                String user = username != null ? username : "opencode";
                probe.header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
            }
            String last = "no answer";
            while (System.nanoTime() - deadline < 0) {
                if (!process.isAlive()) {
                    throw startFailure("exited with code " + process.exitValue() + " after listening", output);
                }
                try {
                    HttpResponse<String> response = HTTP.send(probe.build(), HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200 && response.body().contains("\"healthy\":true")) {
                        return url;
                    }
                    last = response.statusCode() + " " + response.body();
                } catch (IOException e) {
                    last = e.toString();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw startFailure("start interrupted", output);
                }
                sleepBriefly();
            }
            throw startFailure("/global/health did not answer healthy within " + STARTUP_TIMEOUT
                    + " (last: " + last + ")", output);
        }

        private static IllegalStateException startFailure(String what, ProcessLog output) {
            return new IllegalStateException("opencode serve " + what + ". Log " + output.file()
                    + ", last lines:\n" + output.tail());
        }

        /** opencode 1.18.33 reports a taken port only as "Error: Unexpected error" + "ServeError" on stderr. */
        private static boolean portTaken(String tail) {
            return tail.contains("ServeError") || tail.contains("EADDRINUSE")
                    || tail.toLowerCase(Locale.ROOT).contains("in use");
        }

        private static void sleepBriefly() {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
