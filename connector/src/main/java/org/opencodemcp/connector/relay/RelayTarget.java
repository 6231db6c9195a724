package org.opencodemcp.connector.relay;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where and how to log in to the relay: the parsed form of {@code RELAY_SSH_CMD} or {@code --relay}.
 * Fields left null come from {@code ~/.ssh/config} (Host alias, User, Port) or the usual defaults.
 *
 * @param user       login name, or null
 * @param host       host name or {@code ~/.ssh/config} alias
 * @param port       SSH port, or null
 * @param identities private key files given explicitly ({@code -i}, {@code --identity})
 * @param options    {@code -o Key=Value} settings, keys in their canonical OpenSSH spelling
 */
public record RelayTarget(String user, String host, Integer port, List<Path> identities, Map<String, String> options) {

    public RelayTarget {
        Objects.requireNonNull(host, "host");
        identities = List.copyOf(identities);
        options = Map.copyOf(options);
    }

    public RelayTarget withIdentity(Path key) {
        List<Path> all = new java.util.ArrayList<>(identities);
        all.add(0, key);
        return new RelayTarget(user, host, port, all, options);
    }

    public RelayTarget withOption(String key, String value) {
        Map<String, String> all = new java.util.LinkedHashMap<>(options);
        all.put(key, value);
        return new RelayTarget(user, host, port, identities, all);
    }

    /** {@code user@host:port} with the parts that are known, for messages and logs. */
    public String display() {
        return (user == null ? "" : user + "@") + host + (port == null ? "" : ":" + port);
    }
}
