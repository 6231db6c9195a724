package org.opencodemcp.server.instance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.opencodemcp.server.registry.FileTrust;

/**
 * Who holds the socket listening on a relay loopback port, from Linux's {@code /proc/net/tcp} and
 * {@code /proc/net/tcp6} (readable by every account, like {@code ss -ltn}). A tunnel port of the
 * owner's connector is held by sshd running as the owner's account, which is this server's account
 * (registrations of other accounts are not believed). A port held by another uid changed hands: a
 * co-tenant bound it after the tunnel went away, and nothing (no password, no prompt) may go there.
 *
 * <p>Elsewhere (no {@code /proc/net}) the owner is unknown and this check passes.
 */
public final class ListenerOwner {
    private static final Path TCP = Path.of("/proc/net/tcp");
    private static final Path TCP6 = Path.of("/proc/net/tcp6");
    /** A fleet probes many ports at once: one read of the tables serves them for this long. */
    private static final long FRESH_NANOS = 100_000_000L;
    private static final String LISTEN = "0A";

    private record Table(long readAt, Map<Integer, Integer> uidByPort) {}

    private static volatile Table table = new Table(Long.MIN_VALUE / 2, Map.of());

    private ListenerOwner() {}

    /**
     * Null when the port's listener is this account's (or cannot be known); else why nothing may
     * be sent there.
     */
    public static String foreignHolder(int port) {
        int own = FileTrust.ownUid();
        Integer uid = uidOf(port);
        if (own < 0 || uid == null || uid == own) {
            return null;
        }
        return "127.0.0.1:" + port + " is held by uid " + uid + ", not by this account (uid " + own
                + "): the tunnel port changed hands, so nothing was sent to it";
    }

    /** The uid of the listener a connection to 127.0.0.1:port reaches, or null when unknown. */
    static Integer uidOf(int port) {
        Table t = table;
        if (System.nanoTime() - t.readAt() > FRESH_NANOS || !t.uidByPort().containsKey(port)) {
            t = read();
            table = t;
        }
        return t.uidByPort().get(port);
    }

    private static Table read() {
        Map<Integer, Integer> exact = new HashMap<>();
        Map<Integer, Integer> wildcard = new HashMap<>();
        parse(TCP, exact, wildcard);
        parse(TCP6, exact, wildcard);
        wildcard.putAll(exact); // a listener on 127.0.0.1 itself wins over one on every address
        return new Table(System.nanoTime(), wildcard);
    }

    private static void parse(Path file, Map<Integer, Integer> exact, Map<Integer, Integer> wildcard) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            return; // not Linux, or hidden: unknown
        }
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 8 || !LISTEN.equals(f[3])) {
                continue;
            }
            int colon = f[1].lastIndexOf(':');
            if (colon < 0) {
                continue;
            }
            try {
                String address = f[1].substring(0, colon);
                int port = Integer.parseInt(f[1].substring(colon + 1), 16);
                int uid = Integer.parseInt(f[7]);
                if (isLoopback127(address)) {
                    exact.put(port, uid);
                } else if (address.chars().allMatch(c -> c == '0')) {
                    wildcard.putIfAbsent(port, uid);
                }
            } catch (NumberFormatException e) {
                // a line we do not understand: skip it
            }
        }
    }

    /** 127.0.0.1 as /proc writes it: IPv4 little-endian, or IPv4-mapped IPv6. */
    private static boolean isLoopback127(String hex) {
        return hex.equals("0100007F") || hex.equals("0000000000000000FFFF00000100007F");
    }
}
