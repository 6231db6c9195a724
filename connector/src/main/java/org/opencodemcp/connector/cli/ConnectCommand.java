package org.opencodemcp.connector.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.opencodemcp.connector.config.Durations;
import org.opencodemcp.connector.config.PortRange;
import org.opencodemcp.connector.config.Settings;
import org.opencodemcp.connector.config.Timing;
import org.opencodemcp.connector.relay.RelayTarget;
import org.opencodemcp.connector.opencode.ServerCredential;
import org.opencodemcp.connector.run.Connector;
import org.opencodemcp.connector.run.ConnectorException;
import org.opencodemcp.connector.run.LaunchSecret;
import org.opencodemcp.connector.run.LogSetup;
import org.opencodemcp.connector.run.SignalTrap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code opencode-connected [options] [-- opencode args]}: run opencode and keep it registered. */
@Command(name = "opencode-connected", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        subcommands = {StatusCommand.class, DoctorCommand.class},
        description = {"Runs opencode (TUI, or 'opencode serve' with --headless) on a local port, tunnels it to the "
                + "relay over SSH and registers it there, so that opencode-mcp can drive it.",
                "Password: opencode gets a password generated for this launch (or your own OPENCODE_SERVER_PASSWORD "
                        + "and OPENCODE_SERVER_USERNAME, which win), through its environment only; the server reads it "
                        + "from <name>.auth (mode 0600) beside the registration in the registry directory, which must "
                        + "be yours and closed to others (it is created with mode 0700).",
                "Environment: RELAY_SSH_CMD ('ssh [-p P] [-i KEY] [-o K=V] user@host'), RELAY_REGISTRY_DIR, "
                        + "INSTANCE_NAME, OPENCODE_BIN, OPENCODE_CONNECTED_LOG."},
        footer = {"Everything after -- goes to opencode. Exit code: opencode's."})
public final class ConnectCommand implements Callable<Integer> {

    private final Map<String, String> env;
    private final boolean processMode;

    @Mixin
    RelayOptions where = new RelayOptions();

    @Option(names = "--opencode", paramLabel = "BINARY", description = "opencode executable (env OPENCODE_BIN; "
            + "default 'opencode' on PATH).")
    String opencode;

    @Option(names = "--headless", description = "Run 'opencode serve' instead of the TUI (servers, tests).")
    boolean headless;

    @Option(names = "--cwd", paramLabel = "DIR", description = "opencode's working directory (default: current).")
    Path cwd;

    @Option(names = "--port-range", paramLabel = "FIRST-LAST", description = "Local ports to pick from "
            + "(default ${DEFAULT-VALUE}).", defaultValue = PortRange.DEFAULT_TEXT)
    String portRange;

    @Option(names = "--heartbeat", paramLabel = "DURATION", defaultValue = Timing.DEFAULT_HEARTBEAT,
            description = "Heartbeat interval (default ${DEFAULT-VALUE}).")
    String heartbeat;

    @Option(names = "--reconnect-min", paramLabel = "DURATION", defaultValue = Timing.DEFAULT_RECONNECT_MIN, hidden = true)
    String reconnectMin;

    @Option(names = "--reconnect-max", paramLabel = "DURATION", defaultValue = Timing.DEFAULT_RECONNECT_MAX,
            description = "Longest wait between reconnect attempts (default ${DEFAULT-VALUE}).")
    String reconnectMax;

    @Option(names = "--startup-timeout", paramLabel = "DURATION", defaultValue = Timing.DEFAULT_STARTUP_TIMEOUT,
            description = "How long opencode may take to answer (default ${DEFAULT-VALUE}).")
    String startupTimeout;

    @Option(names = "--stop-timeout", paramLabel = "DURATION", defaultValue = Timing.DEFAULT_STOP_TIMEOUT,
            description = "How long opencode gets after SIGTERM before it is killed (default ${DEFAULT-VALUE}).")
    String stopTimeout;

    @Option(names = "--allow-exposed-tunnel", description = "Keep the tunnel even when the relay exposes it to the "
            + "network (its sshd has GatewayPorts yes). Default: close it and stop.")
    boolean allowExposedTunnel;

    @Option(names = "--insecure-no-password", description = "Run opencode without the per-instance password and "
            + "write no .auth file (only for the original TypeScript server, which cannot read one). Without your own "
            + "OPENCODE_SERVER_PASSWORD every account on the relay can then drive this machine.")
    boolean insecureNoPassword;

    @Option(names = "--log-file", paramLabel = "FILE", description = "Log file (env OPENCODE_CONNECTED_LOG; "
            + "default ~/.local/state/opencode-connected/opencode-connected.log).")
    Path logFile;

    @Option(names = {"-v", "--verbose"}, description = "Debug logging (SSH details included).")
    boolean verbose;

    @Parameters(paramLabel = "OPENCODE_ARGS", description = "Arguments for opencode (put them after --).")
    List<String> opencodeArgs = new ArrayList<>();

    public ConnectCommand(Map<String, String> env, boolean processMode) {
        this.env = Map.copyOf(env);
        this.processMode = processMode;
    }

    Map<String, String> env() {
        return env;
    }

    boolean processMode() {
        return processMode;
    }

    /** Resolves options and environment; a bad value is an IllegalArgumentException with the fix in it. */
    public Settings settings() {
        Optional<RelayTarget> target = where.target(env);
        String binary = opencode != null ? opencode : env.getOrDefault("OPENCODE_BIN", "opencode");
        Timing timing = Timing.defaults().withHeartbeat(Durations.parse(heartbeat))
                .withReconnect(Durations.parse(reconnectMin), Durations.parse(reconnectMax))
                .withStartupTimeout(Durations.parse(startupTimeout)).withStopTimeout(Durations.parse(stopTimeout));
        Path dir = (cwd != null ? cwd : Path.of(System.getProperty("user.dir"))).toAbsolutePath().normalize();
        ServerCredential.fromEnv(env); // a password opencode could not use is refused before anything starts
        Settings s = new Settings(Optional.empty(), where.ssh(env), where.registryDir(env), where.name(env), binary,
                headless, opencodeArgs, dir, env, PortRange.parse(portRange), timing, allowExposedTunnel,
                insecureNoPassword);
        return target.isPresent() ? s.withRelay(target.get(), s.ssh()) : s;
    }

    Path logFile() {
        return logFile != null ? logFile : LogSetup.defaultFile(env);
    }

    boolean verbose() {
        return verbose;
    }

    @Override
    public Integer call() {
        Settings settings;
        try {
            settings = settings();
        } catch (IllegalArgumentException e) {
            LogSetup.terminal().println("opencode-connected: " + e.getMessage());
            return 2;
        }
        if (processMode) {
            LogSetup.toFile(logFile(), settings.headless(), verbose);
        }
        PrintStream terminal = LogSetup.terminal();
        terminal.println("opencode-connected: " + settings.relay().map(r -> "relay " + r.display())
                .orElse("local-only") + ", registry " + settings.registryDir()
                + (processMode ? ", log " + logFile() : ""));
        if (settings.insecureNoPassword()) {
            terminal.println("opencode-connected: " + LaunchSecret.insecureWarning(
                    ServerCredential.fromEnv(settings.env()).isPresent()));
        }

        AtomicReference<Connector> running = new AtomicReference<>();
        AtomicBoolean earlySignal = new AtomicBoolean();
        if (processMode) {
            SignalTrap.install(() -> {
                Connector c = running.get();
                if (c != null) {
                    c.requestStop();
                } else {
                    earlySignal.set(true);
                }
            });
        }
        Connector connector;
        try {
            connector = Connector.start(settings);
        } catch (ConnectorException e) {
            terminal.println("opencode-connected: " + e.getMessage());
            return e.exitCode();
        }
        running.set(connector);
        if (earlySignal.get()) {
            connector.requestStop();
        }
        if (settings.headless()) {
            terminal.println("opencode-connected: " + connector.registration().map(r -> "instance " + r.name() + ", ")
                    .orElse("") + connector.state());
        }
        int code = connector.awaitExit();
        if (settings.headless()) {
            terminal.println("opencode-connected: done, opencode exit code " + code);
        }
        return code;
    }
}
