package org.opencodemcp.connector.relay;

import com.jcraft.jsch.AgentIdentityRepository;
import com.jcraft.jsch.ConfigRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.OpenSSHConfig;
import com.jcraft.jsch.SSHAgentConnector;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.UnixDomainSocketFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs in to the relay with JSch the way OpenSSH would: {@code ~/.ssh/config} (Host alias, HostName,
 * User, Port, IdentityFile), explicit keys, ssh-agent, the default {@code ~/.ssh/id_*} keys, and
 * {@code known_hosts} with strict checking unless the person turned it off explicitly.
 */
public final class SshConnector {

    private static final Logger LOG = LoggerFactory.getLogger(SshConnector.class);
    private static final List<String> DEFAULT_KEYS = List.of("id_ed25519", "id_ecdsa", "id_rsa");

    private SshConnector() {}

    public static RelaySession open(RelayTarget target, SshSetup setup) throws RelayException {
        JSch jsch = new JSch();
        jsch.setInstanceLogger(new JSchLogBridge());
        LayeredSshConfig config = new LayeredSshConfig(readConfig(setup), target);
        jsch.setConfigRepository(config);
        ConfigRepository.Config resolved = config.getConfig(target.host());

        String user = resolved.getUser() != null ? resolved.getUser() : System.getProperty("user.name");
        String host = resolved.getHostname() != null ? resolved.getHostname() : target.host();
        int port = resolved.getPort() > 0 ? resolved.getPort() : 22;
        Path knownHosts = knownHosts(setup, config);

        useAgent(jsch, setup);
        addIdentities(jsch, target, setup, config);
        try {
            jsch.setKnownHosts(knownHosts.toString());
        } catch (JSchException e) {
            throw new RelayException("Cannot read known_hosts file " + knownHosts + ": " + e.getMessage(), true, e);
        }
        try {
            Session session = jsch.getSession(user, target.host(), port);
            session.setConfig("StrictHostKeyChecking", "yes"); // never relaxed (LayeredSshConfig, SshCommandParser)
            session.setConfig("PreferredAuthentications", "publickey"); // nobody is there to type a password
            session.setServerAliveInterval((int) seconds(config.raw("ServerAliveInterval"), setup.keepAlive().toMillis()));
            String countMax = config.raw("ServerAliveCountMax");
            session.setServerAliveCountMax(countMax != null ? Integer.parseInt(countMax.trim()) : setup.keepAliveCountMax());
            int timeout = (int) seconds(config.raw("ConnectTimeout"), setup.connectTimeout().toMillis());
            LOG.info("connecting to relay {}@{}:{} (known_hosts {})", user, host, port, knownHosts);
            session.connect(timeout);
            LOG.info("logged in to relay {}@{}:{}", user, host, port);
            return new RelaySession(session, user + "@" + host + ":" + port);
        } catch (JSchException e) {
            throw RelayErrors.explain(e, user, host, port, knownHosts);
        } catch (NumberFormatException e) {
            throw new RelayException("ServerAliveCountMax must be a number: " + e.getMessage(), true, e);
        }
    }

    private static ConfigRepository readConfig(SshSetup setup) throws RelayException {
        if (setup.sshConfig().isEmpty()) {
            return null;
        }
        Path file = setup.sshConfig().get();
        try {
            return OpenSSHConfig.parseFile(file.toString());
        } catch (IOException e) {
            throw new RelayException("Cannot read the SSH config " + file + ": " + e.getMessage(), true, e);
        }
    }

    private static Path knownHosts(SshSetup setup, LayeredSshConfig config) {
        if (setup.knownHosts().isPresent()) {
            return setup.knownHosts().get();
        }
        String configured = config.raw("UserKnownHostsFile");
        if (configured != null && !configured.isBlank()) {
            // OpenSSH allows several files; the first is the one a person adds keys to
            return Path.of(SshCommandParser.expandHome(configured.trim().split("\\s+")[0]));
        }
        return setup.defaultKnownHosts();
    }

    private static void useAgent(JSch jsch, SshSetup setup) {
        if (setup.agentSocket().isEmpty()) {
            return;
        }
        try {
            SSHAgentConnector agent = new SSHAgentConnector(new UnixDomainSocketFactory(), setup.agentSocket().get());
            if (agent.isAvailable()) {
                jsch.setIdentityRepository(new AgentIdentityRepository(agent));
                LOG.debug("using ssh-agent at {}", setup.agentSocket().get());
            }
        } catch (Exception e) {
            LOG.info("ssh-agent at {} not usable ({}); using key files only", setup.agentSocket().get(), e.toString());
        }
    }

    private static void addIdentities(JSch jsch, RelayTarget target, SshSetup setup, LayeredSshConfig config)
            throws RelayException {
        for (Path key : target.identities()) {
            if (!Files.isReadable(key)) {
                throw new RelayException("The SSH key " + key + " (given with -i / --identity) does not exist or "
                        + "cannot be read.", true, null);
            }
            add(jsch, key, true);
        }
        List<Path> fromConfig = new ArrayList<>();
        for (String v : config.rawValues("IdentityFile")) {
            fromConfig.add(Path.of(SshCommandParser.expandHome(v.trim())));
        }
        if (target.identities().isEmpty() && fromConfig.isEmpty()) {
            for (String name : DEFAULT_KEYS) {
                fromConfig.add(setup.home().resolve(".ssh").resolve(name));
            }
        }
        for (Path key : fromConfig) {
            if (Files.isReadable(key)) { // OpenSSH skips configured or default keys that are absent
                add(jsch, key, false);
            }
        }
    }

    private static void add(JSch jsch, Path key, boolean explicit) throws RelayException {
        try {
            jsch.addIdentity(key.toString());
            LOG.debug("identity {}", key);
        } catch (JSchException e) {
            if (explicit) {
                throw new RelayException("Cannot use the SSH key " + key + ": " + e.getMessage(), true, e);
            }
            LOG.info("skipping SSH key {}: {}", key, e.getMessage());
        }
    }

    private static long seconds(String configured, long defaultMillis) {
        if (configured == null || configured.isBlank()) {
            return defaultMillis;
        }
        return Long.parseLong(configured.trim()) * 1000L;
    }
}
