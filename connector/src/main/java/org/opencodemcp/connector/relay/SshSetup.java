package org.opencodemcp.connector.relay;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The client-side SSH environment: which config file, known_hosts and agent to use. Tests point all
 * of it at temp files so that the person's own {@code ~/.ssh} never influences them.
 *
 * @param sshConfig    OpenSSH client config to honour (Host aliases, User, Port, IdentityFile), or empty for none
 * @param knownHosts   known_hosts file given explicitly (--known-hosts), or empty for config / default
 * @param home         home directory for the defaults ({@code ~/.ssh/known_hosts}, {@code ~/.ssh/id_*})
 * @param agentSocket  ssh-agent socket ({@code SSH_AUTH_SOCK}), or empty for no agent
 * @param connectTimeout bound of TCP connect + SSH handshake + login
 * @param keepAlive    interval of SSH keepalive messages (a dead link is noticed after keepAlive x keepAliveCountMax)
 * @param keepAliveCountMax unanswered keepalives before the session counts as dead
 */
public record SshSetup(Optional<Path> sshConfig, Optional<Path> knownHosts, Path home, Optional<Path> agentSocket,
                       Duration connectTimeout, Duration keepAlive, int keepAliveCountMax) {

    /** The defaults of an interactive user: {@code ~/.ssh/config} when present, the agent when running. */
    public static SshSetup fromEnvironment(Map<String, String> env, Path home) {
        Path config = home.resolve(".ssh/config");
        String sock = env.get("SSH_AUTH_SOCK");
        return new SshSetup(Files.isRegularFile(config) ? Optional.of(config) : Optional.empty(), Optional.empty(), home,
                sock == null || sock.isBlank() ? Optional.empty() : Optional.of(Path.of(sock)),
                Duration.ofSeconds(15), Duration.ofSeconds(15), 3);
    }

    public Path defaultKnownHosts() {
        return home.resolve(".ssh/known_hosts");
    }

    public SshSetup withSshConfig(Optional<Path> config) {
        return new SshSetup(config, knownHosts, home, agentSocket, connectTimeout, keepAlive, keepAliveCountMax);
    }

    public SshSetup withKnownHosts(Optional<Path> file) {
        return new SshSetup(sshConfig, file, home, agentSocket, connectTimeout, keepAlive, keepAliveCountMax);
    }

    public SshSetup withAgent(Optional<Path> socket) {
        return new SshSetup(sshConfig, knownHosts, home, socket, connectTimeout, keepAlive, keepAliveCountMax);
    }
}
