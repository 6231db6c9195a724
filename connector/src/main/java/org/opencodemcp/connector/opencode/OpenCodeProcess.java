package org.opencodemcp.connector.opencode;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The opencode child process: start it, wait until it answers, ask it who it is, stop it. */
public final class OpenCodeProcess {

    private static final Logger LOG = LoggerFactory.getLogger(OpenCodeProcess.class);

    private final Process process;
    private final int port;
    private final Optional<String> auth;

    private OpenCodeProcess(Process process, int port, Optional<String> auth) {
        this.process = process;
        this.port = port;
        this.auth = auth;
    }

    /**
     * Starts opencode with the terminal inherited (its TUI draws on it; headless output goes there too).
     * With a credential, opencode demands it: it is put into opencode's environment only, never into
     * its arguments (which every account on the machine can read in /proc); without one opencode runs
     * with no password at all.
     */
    public static OpenCodeProcess start(OpenCodeCommand command, int port, Optional<ServerCredential> credential)
            throws StartupException {
        List<String> argv = command.argv(port);
        ProcessBuilder pb = new ProcessBuilder(argv).directory(command.cwd().toFile()).inheritIO();
        Map<String, String> env = pb.environment();
        env.clear();
        env.putAll(command.env());
        env.remove(ServerCredential.PASSWORD_ENV);
        env.remove(ServerCredential.USERNAME_ENV);
        credential.ifPresent(c -> env.putAll(c.environment()));
        // the original script did this too: an inherited npx setting would make nested npx MCP servers misbehave
        env.remove("npm_config_package");
        LOG.info("starting {} in {} ({})", argv, command.cwd(), credential.isEmpty() ? "NO password"
                : credential.get().personsOwn() ? "with your own OPENCODE_SERVER_PASSWORD"
                : "with a password generated for this launch");
        try {
            return new OpenCodeProcess(pb.start(), port, credential.map(ServerCredential::header));
        } catch (IOException e) {
            throw new StartupException("Cannot start opencode ('" + command.binary() + "'): " + e.getMessage()
                    + ". Install it (npm i -g opencode-ai) or give its path with --opencode.", 127);
        }
    }

    /**
     * Polls {@code /global/health} until it says healthy. Every probe has a timeout: a connection made
     * just before opencode listens can hang forever (opencode accepts it but never answers).
     */
    public Health awaitHealthy(Duration timeout) throws StartupException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer yet";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                int code = process.exitValue();
                throw new StartupException("opencode exited with code " + code + " before it answered on 127.0.0.1:"
                        + port + " (see its output above)", code);
            }
            try {
                Health h = Health.parse(MiniHttp.getLocal(port, "/global/health", auth, Duration.ofSeconds(2)));
                if (h.healthy()) {
                    LOG.info("opencode {} is healthy on 127.0.0.1:{}", h.version(), port);
                    return h;
                }
                last = "it answered healthy=false";
            } catch (IOException e) {
                last = e.getMessage();
            }
            sleep(200);
        }
        stop(Duration.ofSeconds(5));
        throw new StartupException("opencode did not answer GET /global/health on 127.0.0.1:" + port + " within "
                + timeout.toSeconds() + " s (last: " + last + "); it was stopped.", 1);
    }

    /** The directory opencode serves ({@code GET /path}), which the server's identity check compares with cwd. */
    public Optional<String> directory() {
        try {
            HttpReply reply = MiniHttp.getLocal(port, "/path", auth, Duration.ofSeconds(5));
            if (reply.ok()) {
                Object dir = JsonFields.read(reply.body()).get("directory");
                return Optional.ofNullable(dir).map(Object::toString);
            }
        } catch (IOException e) {
            LOG.info("GET /path failed ({}); using the launch directory as cwd", e.getMessage());
        }
        return Optional.empty();
    }

    /** One health check on the local port, for heartbeats and status. */
    public Health probe(Duration timeout) throws IOException {
        return Health.parse(MiniHttp.getLocal(port, "/global/health", auth, timeout));
    }

    public Optional<String> auth() {
        return auth;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Runs {@code action} once opencode has exited, on a JDK thread. */
    public void onExit(Runnable action) {
        process.onExit().thenRun(action);
    }

    public int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    public boolean waitFor(Duration d) throws InterruptedException {
        return process.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Sends SIGTERM without waiting. */
    public void terminate() {
        if (process.isAlive()) {
            LOG.info("sending SIGTERM to opencode (pid {})", process.pid());
            process.destroy();
        }
    }

    /**
     * SIGTERM, then up to {@code grace} for opencode to exit, then SIGKILL for it and what it started.
     *
     * @return opencode's exit code (128 + signal when a signal ended it)
     */
    public int stop(Duration grace) {
        List<ProcessHandle> children = process.descendants().collect(Collectors.toList());
        terminate();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("opencode (pid {}) ignored SIGTERM for {} s; killing it", process.pid(), grace.toSeconds());
                children = process.descendants().collect(Collectors.toList());
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        for (ProcessHandle child : children) {
            if (child.isAlive()) {
                LOG.info("killing left-over opencode child {} ({})", child.pid(), child.info().command().orElse("?"));
                child.destroyForcibly();
            }
        }
        return process.isAlive() ? 137 : process.exitValue();
    }

    private static void sleep(long ms) throws StartupException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while waiting for opencode", 130);
        }
    }
}
