package org.opencodemcp.connector.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.opencodemcp.connector.opencode.OpenCodeCommand;
import org.opencodemcp.connector.relay.RelayTarget;
import org.opencodemcp.connector.relay.SshSetup;
import org.opencodemcp.contract.RegistryFiles;

/**
 * Everything one run of the connector needs, resolved from options and environment. Tests build it
 * directly to run the connector in-process ({@code Connector.start(settings)}).
 *
 * @param relay        the relay, or empty for local-only mode
 * @param ssh          client-side SSH environment (config, known_hosts, agent, keepalives)
 * @param registryDir  the registry directory: on the relay in relay mode, on this machine otherwise
 * @param name         instance name, or empty to derive {@code <hostname>-<basename cwd>}
 * @param opencode     the opencode binary (path or name on PATH)
 * @param headless     run {@code opencode serve} instead of the TUI
 * @param opencodeArgs extra arguments for opencode
 * @param cwd          opencode's working directory
 * @param env          opencode's environment (also where OPENCODE_SERVER_PASSWORD is read from)
 * @param portRange    where to pick opencode's local port
 * @param timing       heartbeat, backoff and timeout settings
 * @param allowExposedTunnel keep a tunnel the relay exposes to the network (sshd GatewayPorts yes) instead of
 *                     closing it and stopping
 * @param insecureNoPassword  run opencode without a per-instance secret and write no {@code .auth} file
 *                     (for the original TypeScript server, which cannot read one)
 */
public record Settings(Optional<RelayTarget> relay, SshSetup ssh, String registryDir, Optional<String> name,
                       String opencode, boolean headless, List<String> opencodeArgs, Path cwd,
                       Map<String, String> env, PortRange portRange, Timing timing, boolean allowExposedTunnel,
                       boolean insecureNoPassword) {


    public Settings {
        opencodeArgs = List.copyOf(opencodeArgs);
        env = Map.copyOf(env);
    }

    /** With the per-instance secret (the default). */
    public Settings(Optional<RelayTarget> relay, SshSetup ssh, String registryDir, Optional<String> name,
                    String opencode, boolean headless, List<String> opencodeArgs, Path cwd,
                    Map<String, String> env, PortRange portRange, Timing timing, boolean allowExposedTunnel) {
        this(relay, ssh, registryDir, name, opencode, headless, opencodeArgs, cwd, env, portRange, timing,
                allowExposedTunnel, false);
    }

    public OpenCodeCommand command() {
        return new OpenCodeCommand(opencode, headless, opencodeArgs, cwd, env);
    }

    /** Local-only defaults for a given opencode binary and directory; tests adjust the rest with the withers. */
    public static Settings localDefaults(String opencode, Path cwd, Map<String, String> env) {
        Path home = Path.of(env.getOrDefault("HOME", System.getProperty("user.home")));
        return new Settings(Optional.empty(), SshSetup.fromEnvironment(env, home), RegistryFiles.DEFAULT_DIRECTORY,
                Optional.empty(), opencode, true, List.of(), cwd, env, PortRange.DEFAULT, Timing.defaults(), false);
    }

    public Settings withRelay(RelayTarget target, SshSetup setup) {
        return new Settings(Optional.of(target), setup, registryDir, name, opencode, headless, opencodeArgs, cwd, env,
                portRange, timing, allowExposedTunnel, insecureNoPassword);
    }

    public Settings withRegistryDir(String dir) {
        return new Settings(relay, ssh, dir, name, opencode, headless, opencodeArgs, cwd, env, portRange,
                timing, allowExposedTunnel, insecureNoPassword);
    }

    public Settings withName(String instanceName) {
        return new Settings(relay, ssh, registryDir, Optional.of(instanceName), opencode, headless, opencodeArgs, cwd,
                env, portRange, timing, allowExposedTunnel, insecureNoPassword);
    }

    public Settings withTiming(Timing t) {
        return new Settings(relay, ssh, registryDir, name, opencode, headless, opencodeArgs, cwd, env,
                portRange, t, allowExposedTunnel, insecureNoPassword);
    }

    public Settings withOpencodeArgs(List<String> args) {
        return new Settings(relay, ssh, registryDir, name, opencode, headless, args, cwd, env, portRange,
                timing, allowExposedTunnel, insecureNoPassword);
    }

    public Settings withAllowExposedTunnel(boolean allow) {
        return new Settings(relay, ssh, registryDir, name, opencode, headless, opencodeArgs, cwd, env,
                portRange, timing,
                allow, insecureNoPassword);
    }

    public Settings withInsecureNoPassword(boolean insecure) {
        return new Settings(relay, ssh, registryDir, name, opencode, headless, opencodeArgs, cwd, env, portRange,
                timing, allowExposedTunnel, insecure);
    }
}
