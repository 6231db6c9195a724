package org.opencodemcp.connector.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.opencodemcp.connector.opencode.Health;
import org.opencodemcp.connector.registry.LocalRegistryStore;
import org.opencodemcp.connector.registry.SftpRegistryStore;
import org.opencodemcp.connector.relay.ExposureCheck;
import org.opencodemcp.connector.relay.RelayException;
import org.opencodemcp.connector.relay.RelaySession;
import org.opencodemcp.connector.relay.RelayTarget;
import org.opencodemcp.connector.relay.SshConnector;
import org.opencodemcp.connector.relay.SshSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code doctor}: checks each part in the order the connector needs them and says exactly what to fix:
 * the opencode binary, the relay settings, host key and login, the registry directory, and a round
 * trip through a reverse tunnel (to a tiny local responder, so opencode need not run).
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Check opencode, the relay login and host key, the registry directory and a tunnel round trip.")
public final class DoctorCommand implements Callable<Integer> {

    @ParentCommand
    ConnectCommand parent;

    @Mixin
    RelayOptions where = new RelayOptions();

    @Option(names = "--opencode", paramLabel = "BINARY", description = "opencode executable to check.")
    String opencode;

    private PrintStream out;
    private int failures;

    @Override
    public Integer call() {
        out = System.out;
        Map<String, String> env = parent.env();
        RelayOptions where = this.where.over(parent.where);
        checkOpencode(opencode != null ? opencode : env.getOrDefault("OPENCODE_BIN", "opencode"), env);
        Optional<RelayTarget> target;
        try {
            target = where.target(env);
            ok("relay settings", target.map(t -> "relay " + t.display()).orElse("no relay: local-only mode"));
        } catch (IllegalArgumentException e) {
            fail("relay settings", e.getMessage());
            return summary();
        }
        String dir = where.registryDir(env);
        if (target.isEmpty()) {
            try {
                new LocalRegistryStore(Path.of(dir)).checkWritable();
                ok("registry directory", dir + " is writable");
            } catch (IOException e) {
                fail("registry directory", dir + ": " + e.getMessage() + ". Fix its permissions or use --registry-dir.");
            }
            return summary();
        }
        SshSetup ssh = where.ssh(env);
        ok("ssh client", "config " + ssh.sshConfig().map(Path::toString).orElse("(none)") + ", known_hosts "
                + ssh.knownHosts().map(Path::toString).orElse("default") + ", agent "
                + ssh.agentSocket().map(Path::toString).orElse("(none)"));
        try (RelaySession relay = SshConnector.open(target.get(), ssh)) {
            ok("host key and login", relay.description());
            try {
                new SftpRegistryStore(relay, dir).checkWritable();
                ok("registry directory", dir + " on the relay is writable over SFTP");
            } catch (IOException e) {
                fail("registry directory", e.getMessage());
            }
            checkRoundTrip(relay);
        } catch (RelayException e) {
            fail("host key and login", e.getMessage());
        }
        return summary();
    }

    private void checkOpencode(String binary, Map<String, String> env) {
        try {
            ProcessBuilder pb = new ProcessBuilder(binary, "--version").redirectErrorStream(true);
            pb.environment().clear();
            pb.environment().putAll(env);
            Process p = pb.start();
            p.getOutputStream().close();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("opencode", binary + " --version did not finish in 60 s");
                return;
            }
            String version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.exitValue() == 0) {
                ok("opencode", binary + " " + version);
            } else {
                fail("opencode", binary + " --version exited " + p.exitValue() + ": " + version);
            }
        } catch (IOException e) {
            fail("opencode", "cannot run '" + binary + "' (" + e.getMessage() + "). Install it with "
                    + "'npm i -g opencode-ai' or give its path with --opencode / OPENCODE_BIN.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reverse-forwards relay port 0 to a one-shot local responder and fetches its answer through the relay. */
    private void checkRoundTrip(RelaySession relay) {
        try (ServerSocket responder = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            Thread t = new Thread(() -> answer(responder), "doctor-responder");
            t.setDaemon(true);
            t.start();
            int port;
            try {
                port = relay.reverseForward(responder.getLocalPort());
            } catch (RelayException e) {
                fail("reverse tunnel", e.getMessage());
                return;
            }
            ok("reverse tunnel", "the relay allocated its port " + port);
            ExposureCheck.Result exposure = ExposureCheck.check(relay.host(), port, Duration.ofSeconds(2));
            switch (exposure.verdict()) {
                case EXPOSED -> fail("tunnel exposure", ExposureCheck.advice(relay.description(), exposure));
                case SKIPPED_LOOPBACK -> ok("tunnel exposure", "skipped: " + exposure.detail());
                case NOT_REACHABLE -> ok("tunnel exposure", exposure.detail());
            }
            try {
                Health h = Health.parse(relay.get(port, "/global/health", Optional.empty(), Duration.ofSeconds(10)));
                if (h.healthy() && "doctor".equals(h.version())) {
                    ok("round trip", "relay 127.0.0.1:" + port + " -> tunnel -> this machine answered");
                } else {
                    fail("round trip", "an unexpected answer came back through relay port " + port);
                }
            } catch (IOException e) {
                fail("round trip", "through relay port " + port + ": " + e.getMessage() + ". The relay's sshd must allow "
                        + "TCP forwarding both ways (AllowTcpForwarding yes) for the heartbeat check; registration "
                        + "still works without it.");
            }
        } catch (IOException e) {
            fail("round trip", "cannot open a local test port: " + e.getMessage());
        }
    }

    private static void answer(ServerSocket server) {
        try (Socket s = server.accept()) {
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            StringBuilder req = new StringBuilder();
            for (int n; !req.toString().contains("\r\n\r\n") && (n = in.read(buf)) > 0; ) {
                req.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
            }
            byte[] body = "{\"healthy\":true,\"version\":\"doctor\"}".getBytes(StandardCharsets.UTF_8);
            OutputStream o = s.getOutputStream();
            o.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            o.write(body);
            o.flush();
        } catch (IOException e) {
            // the round-trip check reports what the client saw
        }
    }

    private void ok(String what, String detail) {
        out.println("[ ok ] " + what + ": " + detail);
    }

    private void fail(String what, String detail) {
        failures++;
        out.println("[FAIL] " + what + ": " + detail);
    }

    private int summary() {
        out.println(failures == 0 ? "All checks passed." : failures + " check(s) failed; fix them in the order shown.");
        return failures == 0 ? 0 : 1;
    }

}
