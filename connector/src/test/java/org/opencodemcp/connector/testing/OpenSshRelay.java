package org.opencodemcp.connector.testing;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.opencodemcp.testkit.Ports;

/**
 * The real OpenSSH sshd on 127.0.0.1 with a temp config, host key and authorized_keys, run in the
 * foreground ({@code sshd -D -e -f cfg}) and stopped by its pid. Under {@code CI=true} a missing
 * sshd fails the test with the install command; elsewhere the test is skipped with the same advice.
 */
public final class OpenSshRelay implements AutoCloseable {

    public static final Path SSHD = Path.of("/usr/sbin/sshd");
    private static final String INSTALL = "install OpenSSH's server: apt-get install -y openssh-server";

    private final Process process;
    private final int port;
    private final Path hostKeyPub;
    private final Path log;

    private OpenSshRelay(Process process, int port, Path hostKeyPub, Path log) {
        this.process = process;
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

    public static OpenSshRelay start(Path dir, ClientKey client) throws Exception {
        requireSshd();
        Path privsep = Path.of("/run/sshd"); // sshd refuses to start without its privilege separation dir
        if (!Files.isDirectory(privsep)) {
            try {
                Files.createDirectories(privsep);
            } catch (IOException e) {
                throw new AssertionError("sshd needs " + privsep + " (mkdir -p " + privsep + " as root)", e);
            }
        }
        Path hostKey = dir.resolve("ssh_host_ed25519_key");
        run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", hostKey.toString()));
        Path authorized = dir.resolve("authorized_keys");
        Files.writeString(authorized, client.publicLine() + "\n");
        int port = Ports.free();
        Path config = dir.resolve("sshd_config");
        Files.writeString(config, String.join("\n",
                "Port " + port,
                "ListenAddress 127.0.0.1",
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
                "GatewayPorts no",
                "Subsystem sftp internal-sftp",
                "LogLevel VERBOSE",
                ""));
        Path log = dir.resolve("sshd.log");
        Process p = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        OpenSshRelay relay = new OpenSshRelay(p, port, Path.of(hostKey + ".pub"), log);
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new AssertionError("sshd exited with " + p.exitValue() + ": " + Files.readString(log));
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return relay;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        relay.close();
        throw new AssertionError("sshd did not listen on " + port + ": " + Files.readString(log));
    }

    public int port() {
        return port;
    }

    public Path writeKnownHosts(Path file) throws IOException {
        String[] pub = Files.readString(hostKeyPub).trim().split("\\s+");
        Files.writeString(file, "[127.0.0.1]:" + port + " " + pub[0] + " " + pub[1] + "\n");
        return file;
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        // per-connection sshd processes outlive the listener's SIGTERM: end them too
        List<ProcessHandle> sessions = process.descendants().toList();
        process.destroy();
        sessions.forEach(ProcessHandle::destroy);
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private static void run(List<String> argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new AssertionError(argv + " failed: " + out);
        }
    }
}
