package org.opencodemcp.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The real OpenSSH sshd on 127.0.0.1 with a temp config, host key and authorized_keys, run in the
 * foreground ({@code sshd -D -e -f cfg}) and stopped by its pid. Under {@code CI=true} a missing
 * sshd fails the test with the install command; elsewhere the test is skipped with the same advice.
 *
 * <p>Faults for tests: {@link #killSessions()} (the per-connection sshd processes die, as when a relay
 * drops a connection), {@link #restart()} (listener and sessions gone, then a new listener on the same
 * port and host key), {@link #pauseSessions()}/{@link #resumeSessions()} (SIGSTOP/SIGCONT: a stalled
 * network, nothing closes).
 */
public final class OpenSshServer implements AutoCloseable {

    public static final Path SSHD = Path.of("/usr/sbin/sshd");
    private static final String INSTALL = "install OpenSSH's server: apt-get install -y openssh-server";

    /**
     * Where and how sshd runs. {@code prefix} goes before the sshd command, e.g. {@code ip netns exec NS}
     * to run the relay in a network namespace of its own.
     */
    public record Options(String listenAddress, String gatewayPorts, List<String> prefix) {
        public static final Options DEFAULT = new Options("127.0.0.1", "no", List.of());
    }

    private final Path config;
    private final String address;
    private final List<String> prefix;
    private final int port;
    private final Path hostKeyPub;
    private final Path log;
    private volatile Process process;

    private OpenSshServer(Path config, Options options, int port, Path hostKeyPub, Path log) {
        this.config = config;
        this.address = options.listenAddress();
        this.prefix = List.copyOf(options.prefix());
        this.port = port;
        this.hostKeyPub = hostKeyPub;
        this.log = log;
    }

    /** Fails under CI, skips elsewhere, when sshd is not installed. */
    public static void requireSshd() {
        boolean present = Files.isExecutable(SSHD);
        if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("OpenSSH sshd not found at " + SSHD + " and CI=true: " + INSTALL);
        }
        Assumptions.assumeTrue(present, "OpenSSH sshd not found at " + SSHD + "; " + INSTALL);
    }

    /** Starts sshd with its files in {@code dir}, accepting {@code client}'s key for any user. */
    public static OpenSshServer start(Path dir, SshClientKey client) throws IOException, InterruptedException {
        return start(dir, client, Options.DEFAULT);
    }

    /** {@link #start(Path, SshClientKey)} on another address, with another GatewayPorts, or inside a namespace. */
    public static OpenSshServer start(Path dir, SshClientKey client, Options options)
            throws IOException, InterruptedException {
        requireSshd();
        Path privsep = Path.of("/run/sshd"); // sshd refuses to start without its privilege separation dir
        if (!Files.isDirectory(privsep)) {
            try {
                Files.createDirectories(privsep);
            } catch (IOException e) {
                throw new AssertionError("sshd needs " + privsep + " (mkdir -p " + privsep + " as root)", e);
            }
        }
        Files.createDirectories(dir);
        Path hostKey = dir.resolve("ssh_host_ed25519_key");
        run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", hostKey.toString()));
        Path authorized = dir.resolve("authorized_keys");
        Files.writeString(authorized, client.publicLine() + "\n");
        int port = Ports.free();
        Path config = dir.resolve("sshd_config");
        Files.writeString(config, String.join("\n",
                "Port " + port,
                "ListenAddress " + options.listenAddress(),
                "HostKey " + hostKey,
                "PidFile " + dir.resolve("sshd.pid"),
                "AuthorizedKeysFile " + authorized,
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PermitRootLogin prohibit-password",
                "UsePAM no",
                "StrictModes no",
                "AllowTcpForwarding yes",
                "GatewayPorts " + options.gatewayPorts(),
                "Subsystem sftp internal-sftp",
                "LogLevel VERBOSE",
                ""));
        OpenSshServer server = new OpenSshServer(config, options, port, Path.of(hostKey + ".pub"),
                dir.resolve("sshd.log"));
        server.launch();
        return server;
    }

    private void launch() throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(prefix);
        argv.addAll(List.of(SSHD.toString(), "-D", "-e", "-f", config.toString()));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        process = p;
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new AssertionError("sshd exited with " + p.exitValue() + ": " + log());
            }
            try (Socket s = new Socket(address, port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        stop();
        throw new AssertionError("sshd did not listen on " + port + ": " + log());
    }

    public int port() {
        return port;
    }

    /** The listener's pid (changes on {@link #restart()}). */
    public long pid() {
        return process.pid();
    }

    public Path writeKnownHosts(Path file) throws IOException {
        String[] pub = Files.readString(hostKeyPub).trim().split("\\s+");
        Files.writeString(file, "[" + address + "]:" + port + " " + pub[0] + " " + pub[1] + "\n");
        return file;
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** The per-connection sshd processes (the listener's children and theirs), one tree per client connection. */
    public List<ProcessHandle> sessions() {
        Process p = process;
        return p == null ? List.of() : p.descendants().toList();
    }

    /** The listener's direct children: one per client connection. */
    public List<ProcessHandle> connections() {
        Process p = process;
        return p == null ? List.of() : p.children().toList();
    }

    /**
     * SIGKILLs every per-connection sshd process (the listener stays): each client sees its TCP
     * connection reset, as when a relay's sshd child dies. Returns how many connections there were.
     */
    public int killSessions() {
        List<ProcessHandle> conns = connections();
        List<ProcessHandle> all = sessions();
        all.forEach(ProcessHandle::destroyForcibly);
        all.forEach(h -> h.onExit().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> h).join());
        return conns.size();
    }

    /** Listener and every session gone (SIGTERM, then SIGKILL): nothing answers on the port. */
    public void stop() {
        Process p = process;
        if (p == null) {
            return;
        }
        // per-connection sshd processes outlive the listener's SIGTERM: end them too
        List<ProcessHandle> sessions = p.descendants().toList();
        p.destroy();
        sessions.forEach(ProcessHandle::destroyForcibly);
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
        sessions.forEach(h -> h.onExit().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> h).join());
        process = null;
    }

    /** {@link #stop()}, then a new listener on the same port with the same host key and clients. */
    public void restart() throws IOException, InterruptedException {
        stop();
        launch();
    }

    /** SIGSTOPs every per-connection sshd process: connections stay open but nothing moves (a stalled network). */
    public List<ProcessHandle> pauseSessions() {
        List<ProcessHandle> all = sessions();
        signal("STOP", all, false);
        return all;
    }

    /** SIGCONTs the processes {@link #pauseSessions()} stopped. */
    public void resumeSessions(List<ProcessHandle> paused) {
        signal("CONT", paused, false);
    }

    private static void signal(String sig, List<ProcessHandle> handles, boolean quiet) {
        if (handles.isEmpty()) {
            return;
        }
        List<String> argv = new ArrayList<>(List.of("kill", "-" + sig));
        handles.forEach(h -> argv.add(Long.toString(h.pid())));
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0 && !quiet) {
                System.err.println("kill -" + sig + " " + argv.subList(2, argv.size()) + ": " + out.trim());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        // a stopped process ignores SIGTERM until continued
        signal("CONT", sessions(), true);
        stop();
    }

    static void run(List<String> argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new AssertionError(argv + " failed: " + out);
            }
        } catch (IOException e) {
            throw new AssertionError(argv + " could not run (" + e.getMessage() + "); " + INSTALL, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(argv + " interrupted", e);
        }
    }
}
