package org.opencodemcp.connector.relay;

import com.jcraft.jsch.ConfigRepository;
import java.util.Map;
import java.util.Set;

/**
 * What JSch sees of the SSH client configuration: the explicit settings (command line, RELAY_SSH_CMD)
 * layered over {@code ~/.ssh/config}, explicit first, like OpenSSH.
 *
 * <p>Some keys are hidden from JSch on purpose and applied by {@link SshConnector} instead:
 * JSch reads {@code ServerAliveInterval} and {@code ConnectTimeout} as milliseconds where OpenSSH
 * means seconds, and {@code IdentityFile} is resolved by the connector so that a missing explicit key
 * is a clear error. {@code StrictHostKeyChecking} is always {@code yes}: whoever answers as the relay gets
 * the tunnel to this machine, so an unknown or changed host key is never accepted.
 */
final class LayeredSshConfig implements ConfigRepository {

    static final Set<String> HANDLED_BY_CONNECTOR = Set.of("ServerAliveInterval", "ServerAliveCountMax",
            "ConnectTimeout", "IdentityFile", "UserKnownHostsFile");

    static final Set<String> CONVERTED_TO_MILLIS_BY_JSCH = Set.of("ServerAliveInterval", "ConnectTimeout");

    private final ConfigRepository base;
    private final RelayTarget target;

    LayeredSshConfig(ConfigRepository base, RelayTarget target) {
        this.base = base == null ? ConfigRepository.nullConfig : base;
        this.target = target;
    }

    @Override
    public Config getConfig(String host) {
        Config fromFile = base.getConfig(host);
        Map<String, String> explicit = target.options();
        return new Config() {
            @Override
            public String getHostname() {
                String h = explicit.get("HostName");
                return h != null ? h : fromFile.getHostname();
            }

            @Override
            public String getUser() {
                return target.user() != null ? target.user() : fromFile.getUser();
            }

            @Override
            public int getPort() {
                return target.port() != null ? target.port() : fromFile.getPort();
            }

            @Override
            public String getValue(String key) {
                if (HANDLED_BY_CONNECTOR.contains(key)) {
                    return null;
                }
                String v = explicit.containsKey(key) ? explicit.get(key) : fromFile.getValue(key);
                if ("StrictHostKeyChecking".equals(key)) {
                    // never relaxed: RELAY_SSH_CMD refuses "no"; an ssh_config "no" (often a Host * habit) and
                    // accept-new (unknown to JSch) both become the strict "yes"
                    return "yes";
                }
                return v;
            }

            @Override
            public String[] getValues(String key) {
                if (HANDLED_BY_CONNECTOR.contains(key)) {
                    return null;
                }
                String v = explicit.get(key);
                return v != null ? new String[] {v} : fromFile.getValues(key);
            }
        };
    }

    /** The value as the person configured it (explicit first, then the file), including hidden keys. */
    String raw(String key) {
        String v = target.options().get(key);
        if (v != null) {
            return v;
        }
        String fromFile = base.getConfig(target.host()).getValue(key);
        if (fromFile != null && CONVERTED_TO_MILLIS_BY_JSCH.contains(key)) {
            // JSch's OpenSSHConfig already turns these seconds into milliseconds ("1" -> "1000"); undo it so
            // that the file and RELAY_SSH_CMD -o give the connector the same unit (seconds, as OpenSSH means)
            try {
                return Long.toString(Long.parseLong(fromFile.trim()) / 1000L);
            } catch (NumberFormatException e) {
                return fromFile;
            }
        }
        return fromFile;
    }

    String[] rawValues(String key) {
        String[] v = base.getConfig(target.host()).getValues(key);
        return v == null ? new String[0] : v;
    }
}
