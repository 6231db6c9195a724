package org.opencodemcp.connector.relay;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code RELAY_SSH_CMD}, the original script's way to name the relay: an ssh command prefix such
 * as {@code ssh -p 2222 -i ~/.ssh/relay me@relay.example}. The connector speaks SSH itself (JSch), so
 * only what JSch can honour is accepted; anything else is refused with a message saying what to use
 * instead, rather than being silently ignored.
 */
public final class SshCommandParser {

    /** {@code -o} keys the connector honours (canonical spelling), see {@link LayeredSshConfig}. */
    static final List<String> HONOURED_OPTIONS = List.of("Port", "User", "HostName", "IdentityFile",
            "StrictHostKeyChecking", "UserKnownHostsFile", "HostKeyAlias", "ServerAliveInterval",
            "ServerAliveCountMax", "ConnectTimeout");

    /** {@code -o} keys that only matter to the ssh binary; the connector always behaves as they ask. */
    static final List<String> HARMLESS_OPTIONS = List.of("ExitOnForwardFailure", "BatchMode", "LogLevel",
            "RequestTTY", "ControlMaster", "ControlPath", "ControlPersist", "TCPKeepAlive");

    /** Values that would turn host key checking off in OpenSSH; the connector refuses them rather than ignoring them. */
    static final List<String> RELAXED_CHECKING = List.of("no", "off", "false", "0");

    private static final String SUPPORTED = "supported: ssh [-p PORT] [-i KEY] [-l USER] [-o Key=Value] "
            + "[-N] [-T] [-q] [user@]host";

    private SshCommandParser() {}

    public static RelayTarget parse(String command) {
        List<String> words = ShellWords.split(command);
        if (words.isEmpty()) {
            throw new IllegalArgumentException("RELAY_SSH_CMD is empty; unset it for local-only mode or set it to "
                    + "'ssh user@relay-host'");
        }
        String program = Path.of(words.get(0)).getFileName().toString();
        if (program.equals("gcloud")) {
            throw new IllegalArgumentException("RELAY_SSH_CMD uses 'gcloud compute ssh', which opencode-connected "
                    + "cannot run (it speaks SSH itself). Run 'gcloud compute config-ssh' once, then set "
                    + "RELAY_SSH_CMD='ssh <instance>.<zone>.<project>' (the Host alias it wrote to ~/.ssh/config).");
        }
        if (!program.equals("ssh")) {
            throw new IllegalArgumentException("RELAY_SSH_CMD must start with 'ssh', got '" + words.get(0) + "'; "
                    + SUPPORTED);
        }
        String user = null;
        Integer port = null;
        String destination = null;
        List<Path> identities = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i < words.size(); i++) {
            String w = words.get(i);
            if (destination != null) {
                throw new IllegalArgumentException("RELAY_SSH_CMD must end with the relay address; opencode-connected "
                        + "runs no remote command, remove '" + String.join(" ", words.subList(i, words.size())) + "'");
            }
            if (w.equals("--")) {
                continue;
            }
            if (!w.startsWith("-") || w.length() == 1) {
                destination = w;
                continue;
            }
            char flag = w.charAt(1);
            switch (flag) {
                case 'p': {
                    String v = w.length() > 2 ? w.substring(2) : value(words, ++i, "-p");
                    port = parsePort(v);
                    break;
                }
                case 'i':
                    identities.add(Path.of(expandHome(w.length() > 2 ? w.substring(2) : value(words, ++i, "-i"))));
                    break;
                case 'l':
                    user = w.length() > 2 ? w.substring(2) : value(words, ++i, "-l");
                    break;
                case 'o': {
                    String v = w.length() > 2 ? w.substring(2) : value(words, ++i, "-o");
                    putOption(options, v);
                    break;
                }
                default:
                    if (w.matches("-[NTqn]+")) {
                        break; // no shell, no tty, quiet: the connector always behaves so
                    }
                    throw new IllegalArgumentException("RELAY_SSH_CMD option '" + w + "' is not supported by "
                            + "opencode-connected (it speaks SSH through JSch, not the ssh binary); put such settings "
                            + "in ~/.ssh/config instead. " + SUPPORTED);
            }
        }
        if (destination == null) {
            throw new IllegalArgumentException("RELAY_SSH_CMD names no relay host; " + SUPPORTED);
        }
        RelayTarget dest = RelayAddress.parseDestination(destination, "RELAY_SSH_CMD");
        if (dest.user() != null) {
            user = dest.user();
        }
        if (dest.port() != null) {
            port = dest.port();
        }
        String portOption = options.remove("Port");
        if (portOption != null && port == null) {
            port = parsePort(portOption);
        }
        String userOption = options.remove("User");
        if (userOption != null && user == null) {
            user = userOption;
        }
        String idFromOption = options.remove("IdentityFile");
        if (idFromOption != null) {
            identities.add(Path.of(expandHome(idFromOption)));
        }
        return new RelayTarget(user, dest.host(), port, identities, options);
    }

    private static void putOption(Map<String, String> options, String option) {
        String[] kv = option.contains("=") ? option.split("=", 2) : option.trim().split("\\s+", 2);
        if (kv.length != 2 || kv[0].isBlank() || kv[1].isBlank()) {
            throw new IllegalArgumentException("RELAY_SSH_CMD: -o needs Key=Value, got '" + option + "'");
        }
        String key = canonical(kv[0].trim());
        if (HARMLESS_OPTIONS.contains(key)) {
            return;
        }
        if (!HONOURED_OPTIONS.contains(key)) {
            throw new IllegalArgumentException("RELAY_SSH_CMD: -o " + kv[0] + " is not supported by opencode-connected; "
                    + "it honours -o " + String.join(", ", HONOURED_OPTIONS) + ". Other settings belong in ~/.ssh/config.");
        }
        String value = kv[1].trim();
        if (key.equals("StrictHostKeyChecking") && RELAXED_CHECKING.contains(value.toLowerCase(java.util.Locale.ROOT))) {
            throw new IllegalArgumentException("RELAY_SSH_CMD: -o StrictHostKeyChecking=" + value + " is refused: "
                    + "opencode-connected always checks the relay's host key, because whoever answers as the relay "
                    + "receives the tunnel to this machine. Remove the option and add the relay's host key once: "
                    + "ssh-keyscan -p PORT HOST >> ~/.ssh/known_hosts (check the fingerprint with the relay's admin), "
                    + "or run 'opencode-connected doctor', which prints the exact command.");
        }
        options.put(key, value);
    }

    private static String canonical(String key) {
        for (String k : HONOURED_OPTIONS) {
            if (k.equalsIgnoreCase(key)) {
                return k;
            }
        }
        for (String k : HARMLESS_OPTIONS) {
            if (k.equalsIgnoreCase(key)) {
                return k;
            }
        }
        return key;
    }

    private static String value(List<String> words, int index, String flag) {
        if (index >= words.size()) {
            throw new IllegalArgumentException("RELAY_SSH_CMD: " + flag + " needs a value");
        }
        return words.get(index);
    }

    static int parsePort(String text) {
        try {
            int p = Integer.parseInt(text.trim());
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // the message below says what is expected
        }
        throw new IllegalArgumentException("relay SSH port must be a number 1-65535, got '" + text + "'");
    }

    static String expandHome(String path) {
        if (path.equals("~") || path.startsWith("~/")) {
            return System.getProperty("user.home") + path.substring(1);
        }
        return path;
    }
}
