package org.opencodemcp.connector.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.opencodemcp.connector.opencode.Health;
import org.opencodemcp.connector.opencode.MiniHttp;
import org.opencodemcp.connector.opencode.HttpReply;
import org.opencodemcp.connector.opencode.ServerCredential;
import org.opencodemcp.connector.registry.LocalRegistryStore;
import org.opencodemcp.contract.Registration;
import org.opencodemcp.connector.registry.RegistryEntry;
import org.opencodemcp.connector.registry.RegistryStore;
import org.opencodemcp.connector.registry.SftpRegistryStore;
import org.opencodemcp.connector.relay.RelayException;
import org.opencodemcp.connector.relay.RelaySession;
import org.opencodemcp.connector.relay.RelayTarget;
import org.opencodemcp.connector.relay.SshConnector;
import org.opencodemcp.connector.run.Hostnames;
import org.opencodemcp.connector.run.LinkStateFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;
import org.opencodemcp.contract.SafeText;

/** {@code status}: every registration in the registry and whether it answers, checked from the relay's side. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "List the registrations (this machine's marked *) and check each one's health through the relay.")
public final class StatusCommand implements Callable<Integer> {

    private static final Duration PROBE = Duration.ofSeconds(5);

    @ParentCommand
    ConnectCommand parent;

    @Mixin
    RelayOptions where = new RelayOptions();

    @Override
    public Integer call() {
        PrintStream out = System.out;
        Map<String, String> env = parent.env();
        // first what the connectors running here say about themselves: registered, or reconnecting and why
        LinkStateFile.running(env).forEach(e -> out.println("Running here: " + e.name() + " (pid " + e.pid() + "): "
                + e.state()));
        RelayOptions where = this.where.over(parent.where);
        Optional<RelayTarget> target;
        try {
            target = where.target(env);
        } catch (IllegalArgumentException e) {
            System.err.println("opencode-connected: " + e.getMessage());
            return 2;
        }
        String dir = where.registryDir(env);
        Optional<ServerCredential> mine;
        try {
            mine = ServerCredential.fromEnv(env);
        } catch (IllegalArgumentException e) {
            System.err.println("opencode-connected: " + e.getMessage());
            return 2;
        }
        String me = Hostnames.local();
        if (target.isEmpty()) {
            LocalRegistryStore store = new LocalRegistryStore(Path.of(dir));
            return print(out, store, me, mine, (port, auth) -> MiniHttp.getLocal(port, "/global/health", auth, PROBE));
        }
        try (RelaySession relay = SshConnector.open(target.get(), where.ssh(env))) {
            SftpRegistryStore store = new SftpRegistryStore(relay, dir);
            return print(out, store, me, mine, (port, auth) -> relay.get(port, "/global/health", auth, PROBE));
        } catch (RelayException e) {
            System.err.println("opencode-connected: " + e.getMessage());
            return 1;
        }
    }

    private interface Prober {
        HttpReply get(int port, Optional<String> authorization) throws IOException;
    }

    private static int print(PrintStream out, RegistryStore store, String me, Optional<ServerCredential> mine,
                             Prober probe) {
        List<RegistryEntry> entries;
        try {
            entries = store.list();
        } catch (IOException e) {
            System.err.println("opencode-connected: cannot list the registry: " + e.getMessage());
            return 1;
        }
        out.println("Registry: " + store.location());
        boolean trusted = false;
        try {
            Optional<String> problem = store.directoryProblem();
            if (problem.isPresent()) {
                // anyone could have planted these files: no password of this machine goes to their ports
                out.println("  WARNING: " + problem.get() + ". No password is sent to any registration here.");
            } else {
                trusted = true;
            }
        } catch (IOException e) {
            out.println("  WARNING: cannot check the registry directory (" + e.getMessage() + "); no password is "
                    + "sent to any registration here.");
        }
        if (entries.isEmpty()) {
            out.println("  (no registrations)");
            return 0;
        }
        out.printf("  %-1s %-32s %-16s %6s %6s %-10s %-22s %s%n", "", "NAME", "HOST", "PORT", "LOCAL", "HEARTBEAT",
                "HEALTH", "CWD");
        for (RegistryEntry e : entries) {
            if (e.registration().isEmpty()) {
                out.printf("  %-1s %-32s invalid: %s%n", "", e.fileName(), e.problem());
                continue;
            }
            Registration r = e.registration().get();
            String health;
            try {
                Optional<String> auth = trusted ? credentialFor(store, r, me, mine).map(ServerCredential::header)
                        : Optional.empty();
                try {
                    Health h = Health.parse(probe.get(r.port(), auth));
                    health = h.healthy() ? "ok " + (h.version() == null ? "" : SafeText.terminal(h.version())) : "unhealthy";
                } catch (IOException ex) {
                    health = "UNREACHABLE";
                }
            } catch (IOException badAuth) {
                health = "not probed: " + SafeText.terminal(badAuth.getMessage());
            }
            Instant beat = r.heartbeatAt() != null ? r.heartbeatAt() : r.connectedAt();
            String age = Duration.between(beat, Instant.now()).toSeconds() + "s ago";
            out.printf("  %-1s %-32s %-16s %6d %6d %-10s %-22s %s%n", r.hostname().equals(me) ? "*" : "", r.name(),
                    SafeText.terminal(r.hostname()), r.port(), r.localPort(), age, health, SafeText.terminal(r.cwd()));
        }
        return 0;
    }

    /**
     * The password to send to one registration's port, and to no other: its own {@code .auth} (the
     * per-launch secret its connector published); for one of this machine's registrations that has
     * none (an older connector, or one started with --insecure-no-password), this machine's own
     * {@code OPENCODE_SERVER_PASSWORD}; otherwise nothing. A bad {@code .auth} means no probe at all.
     */
    static Optional<ServerCredential> credentialFor(RegistryStore store, Registration r, String me,
                                                    Optional<ServerCredential> mine) throws IOException {
        Optional<ServerCredential> own = store.readAuth(r.name());
        if (own.isPresent()) {
            return own;
        }
        return r.hostname().equals(me) ? mine : Optional.empty();
    }
}
