package org.opencodemcp.connector.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.opencodemcp.connector.config.Settings;
import org.opencodemcp.connector.relay.RelayAddress;
import org.opencodemcp.connector.relay.RelayTarget;
import org.opencodemcp.connector.relay.SshCommandParser;
import org.opencodemcp.connector.relay.SshSetup;
import picocli.CommandLine.Option;
import org.opencodemcp.contract.RegistryFiles;

/** Where to register: shared by the main command, {@code status} and {@code doctor}. */
public final class RelayOptions {

    @Option(names = "--relay", paramLabel = "USER@HOST[:PORT]",
            description = "Relay to tunnel to (overrides RELAY_SSH_CMD). Without a relay: local-only mode.")
    String relay;

    @Option(names = "--local", description = "Local-only mode even if RELAY_SSH_CMD is set.")
    boolean local;

    @Option(names = {"-i", "--identity"}, paramLabel = "KEY", description = "SSH private key (repeatable).")
    List<Path> identities = new ArrayList<>();

    @Option(names = "--known-hosts", paramLabel = "FILE",
            description = "known_hosts file to check the relay's host key against (default ~/.ssh/known_hosts).")
    Path knownHosts;

    @Option(names = "--ssh-config", paramLabel = "FILE|none",
            description = "OpenSSH client config to honour (default ~/.ssh/config; 'none' for none).")
    String sshConfig;

    @Option(names = "--no-agent", description = "Do not use ssh-agent (SSH_AUTH_SOCK).")
    boolean noAgent;

    @Option(names = "--registry-dir", paramLabel = "DIR",
            description = "Registry directory, on the relay or here (env " + RegistryFiles.DIRECTORY_ENV + ", default "
                    + RegistryFiles.DEFAULT_DIRECTORY + ").")
    String registryDir;

    @Option(names = "--name", paramLabel = "NAME",
            description = "Instance name (env INSTANCE_NAME; default <hostname>-<basename of cwd>).")
    String name;

    /**
     * These options with the main command's filled in where this one left them unset, so that
     * {@code opencode-connected --relay r status} and {@code opencode-connected status --relay r} agree.
     */
    RelayOptions over(RelayOptions outer) {
        RelayOptions m = new RelayOptions();
        m.relay = relay != null ? relay : outer.relay;
        m.local = local || outer.local;
        m.identities = new ArrayList<>(identities);
        m.identities.addAll(outer.identities);
        m.knownHosts = knownHosts != null ? knownHosts : outer.knownHosts;
        m.sshConfig = sshConfig != null ? sshConfig : outer.sshConfig;
        m.noAgent = noAgent || outer.noAgent;
        m.registryDir = registryDir != null ? registryDir : outer.registryDir;
        m.name = name != null ? name : outer.name;
        return m;
    }

    /** The relay from --relay, else RELAY_SSH_CMD, else none; explicit keys and files added. */
    Optional<RelayTarget> target(Map<String, String> env) {
        if (local) {
            return Optional.empty();
        }
        RelayTarget target;
        if (relay != null) {
            target = RelayAddress.parse(relay);
        } else {
            String cmd = env.get("RELAY_SSH_CMD");
            if (cmd == null || cmd.isBlank()) {
                return Optional.empty();
            }
            target = SshCommandParser.parse(cmd);
        }
        for (int i = identities.size() - 1; i >= 0; i--) {
            target = target.withIdentity(identities.get(i));
        }
        return Optional.of(target);
    }

    SshSetup ssh(Map<String, String> env) {
        Path home = Path.of(env.getOrDefault("HOME", System.getProperty("user.home")));
        SshSetup setup = SshSetup.fromEnvironment(env, home);
        if (sshConfig != null) {
            setup = setup.withSshConfig(sshConfig.equals("none") ? Optional.empty() : Optional.of(Path.of(sshConfig)));
        }
        if (knownHosts != null) {
            setup = setup.withKnownHosts(Optional.of(knownHosts));
        }
        if (noAgent) {
            setup = setup.withAgent(Optional.empty());
        }
        return setup;
    }

    String registryDir(Map<String, String> env) {
        if (registryDir != null) {
            return registryDir;
        }
        String fromEnv = env.get(RegistryFiles.DIRECTORY_ENV);
        return fromEnv == null || fromEnv.isBlank() ? RegistryFiles.DEFAULT_DIRECTORY : fromEnv;
    }

    Optional<String> name(Map<String, String> env) {
        if (name != null) {
            return Optional.of(name);
        }
        String fromEnv = env.get("INSTANCE_NAME");
        return fromEnv == null || fromEnv.isBlank() ? Optional.empty() : Optional.of(fromEnv);
    }
}
