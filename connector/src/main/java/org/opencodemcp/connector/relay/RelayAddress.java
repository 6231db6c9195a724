package org.opencodemcp.connector.relay;

import java.util.List;
import java.util.Map;

/** Parses the {@code --relay user@host[:port]} option and the destination word of {@code RELAY_SSH_CMD}. */
public final class RelayAddress {

    private RelayAddress() {}

    /** {@code --relay} value: {@code [user@]host[:port]} or {@code ssh://[user@]host[:port]}. */
    public static RelayTarget parse(String text) {
        return parseDestination(text.trim(), "--relay");
    }

    static RelayTarget parseDestination(String text, String source) {
        String rest = text.startsWith("ssh://") ? text.substring("ssh://".length()) : text;
        String user = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            user = rest.substring(0, at);
            rest = rest.substring(at + 1);
            if (user.isEmpty()) {
                throw new IllegalArgumentException(source + ": empty user name in '" + text + "'");
            }
        }
        Integer port = null;
        String host = rest;
        if (rest.startsWith("[")) { // [ipv6]:port
            int close = rest.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException(source + ": unclosed [ in '" + text + "'");
            }
            host = rest.substring(1, close);
            String after = rest.substring(close + 1);
            if (after.startsWith(":")) {
                port = SshCommandParser.parsePort(after.substring(1));
            } else if (!after.isEmpty()) {
                throw new IllegalArgumentException(source + ": cannot read '" + text + "'");
            }
        } else if (rest.indexOf(':') >= 0 && rest.indexOf(':') == rest.lastIndexOf(':')) {
            int colon = rest.indexOf(':');
            host = rest.substring(0, colon);
            port = SshCommandParser.parsePort(rest.substring(colon + 1));
        }
        if (host.isEmpty() || host.startsWith("-") || host.matches(".*[\\s/'\"].*")) {
            throw new IllegalArgumentException(source + ": '" + text + "' is not a host; expected [user@]host[:port]");
        }
        return new RelayTarget(user, host, port, List.of(), Map.of());
    }
}
