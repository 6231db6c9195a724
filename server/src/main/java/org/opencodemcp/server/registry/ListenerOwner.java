package org.opencodemcp.server.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Who holds the socket listening on a relay loopback port, from Linux's {@code /proc/net/tcp} and
 * {@code /proc/net/tcp6} (readable by every account, like {@code ss -ltn}). A tunnel port of the
 * owner's connector is held by sshd running as the owner's account, which is this server's account
 * (registrations of other accounts are not believed). A port held by another uid changed hands: a
 * co-tenant bound it after the tunnel went away, and nothing (no password, no prompt) may go there.
 *
 * <p>Elsewhere (no {@code /proc/net}) the owner is unknown and this check passes.
 */
final class ListenerOwner {
    private static final Path TCP = Path.of("/proc/net/tcp");
    private static final Path TCP6 = Path.of("/proc/net/tcp6");
    /** A fleet probes many ports at once: one read of the tables serves them for this long. */
    private static final long FRESH_NANOS = 100_000_000L;
    private static final String LISTEN = "0A";

    private record Table(long readAt, Map<Integer, Integer> uidByPort) {}

    private static volatile Table table = new Table(Long.MIN_VALUE / 2, Map.of());
    /** The most of a table read: ~150 bytes a socket, so about 200,000 sockets. */
    private static final int MAX_TABLE_BYTES = 32 << 20;
    /** Read into under the class lock only (one reader at a time): see readInto. */
    private static byte[] buffer = new byte[64 * 1024];

    private ListenerOwner() {}

    /**
     * Null when the port's listener is this account's (or cannot be known); else why nothing may
     * be sent there.
     */
    static String foreignHolder(int port) {
        int own = FileTrust.ownUid();
        Integer uid = uidOf(port);
        if (own < 0 || uid == null || uid == own) {
            return null;
        }
        return "127.0.0.1:" + port + " is held by uid " + uid + ", not by this account (uid " + own
                + "): the tunnel port changed hands, so nothing was sent to it";
    }

    /**
     * The uid of the listener a connection to 127.0.0.1:port reaches, or null when unknown. One thread
     * reads the tables at a time and the others use its result: a refresh probes hundreds of ports
     * at once, and with a few thousand sockets on the machine (a relay's tunnels, their connections)
     * each read is a few hundred KB that the kernel renders line by line. Unsynchronized, every probe
     * thread read and parsed them on its own (JFR: most of a refresh_instances at 1,000 instances).
     */
    static Integer uidOf(int port) {
        long asked = System.nanoTime();
        Table t = table;
        if (!usable(t, asked, port)) {
            synchronized (ListenerOwner.class) {
                t = table;
                // a read that began after this call asked is as good as one of its own
                if (t.readAt() - asked < 0 && !usable(t, asked, port)) {
                    t = read();
                    table = t;
                }
            }
        }
        return t.uidByPort().get(port);
    }

    private static boolean usable(Table t, long now, int port) {
        return now - t.readAt() <= FRESH_NANOS && t.uidByPort().containsKey(port);
    }

    private static Table read() {
        long startedAt = System.nanoTime(); // what the tables show is at least this recent
        Map<Integer, Integer> exact = new HashMap<>();
        Map<Integer, Integer> wildcard = new HashMap<>();
        parse(TCP, exact, wildcard);
        parse(TCP6, exact, wildcard);
        wildcard.putAll(exact); // a listener on 127.0.0.1 itself wins over one on every address
        return new Table(startedAt, wildcard);
    }

    private static void parse(Path file, Map<Integer, Integer> exact, Map<Integer, Integer> wildcard) {
        int length;
        try {
            length = readInto(file);
        } catch (IOException | RuntimeException e) {
            return; // not Linux, or hidden: unknown
        }
        parse(buffer, length, exact, wildcard);
    }

    /**
     * Reads the file into {@link #buffer} (grown as needed, up to {@link #MAX_TABLE_BYTES}) and returns
     * its length. One buffer for every read: a table of a few thousand sockets is ~450 KB, and reading
     * it into a new array on every look-up was most of the server's allocation while 1,000 instances
     * came online (young collections, and a heap that grew to 500 MB before a full one).
     */
    private static int readInto(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            int length = 0;
            while (true) {
                if (length == buffer.length) {
                    if (buffer.length >= MAX_TABLE_BYTES) {
                        return length; // a table this large is cut: its missing ports read as unknown
                    }
                    buffer = Arrays.copyOf(buffer, Math.min(MAX_TABLE_BYTES, buffer.length * 2));
                }
                int n = in.read(buffer, length, Math.min(buffer.length - length, 64 * 1024));
                if (n < 0) {
                    return length;
                }
                length += n;
            }
        }
    }

    static void parse(byte[] text, Map<Integer, Integer> exact, Map<Integer, Integer> wildcard) {
        parse(text, text.length, exact, wildcard);
    }

    /**
     * Parses the table's bytes in place (no String per line or field): lines are
     * {@code sl local_address rem_address st tx:rx tr:when retrnsmt uid ...}; only LISTEN lines count.
     */
    static void parse(byte[] text, int length, Map<Integer, Integer> exact, Map<Integer, Integer> wildcard) {
        int[] start = new int[8];
        int[] end = new int[8];
        int pos = 0;
        while (pos < length) {
            int lineEnd = pos;
            while (lineEnd < length && text[lineEnd] != '\n') {
                lineEnd++;
            }
            int fields = 0;
            int i = pos;
            while (fields < 8) {
                while (i < lineEnd && (text[i] == ' ' || text[i] == '\t')) {
                    i++;
                }
                if (i >= lineEnd) {
                    break;
                }
                start[fields] = i;
                while (i < lineEnd && text[i] != ' ' && text[i] != '\t') {
                    i++;
                }
                end[fields++] = i;
            }
            pos = lineEnd + 1;
            if (fields < 8 || end[3] - start[3] != 2 || text[start[3]] != LISTEN.charAt(0) || text[start[3] + 1] != LISTEN.charAt(1)) {
                continue;
            }
            int colon = -1;
            for (int k = end[1] - 1; k >= start[1]; k--) {
                if (text[k] == ':') {
                    colon = k;
                    break;
                }
            }
            long port = colon < 0 ? -1 : number(text, colon + 1, end[1], 16);
            long uid = number(text, start[7], end[7], 10);
            if (port < 0 || port > 0xFFFF || uid < 0 || uid > Integer.MAX_VALUE) {
                continue; // a line we do not understand: skip it
            }
            String address = new String(text, start[1], colon - start[1], StandardCharsets.US_ASCII);
            if (isLoopback127(address)) {
                exact.put((int) port, (int) uid);
            } else if (address.chars().allMatch(c -> c == '0')) {
                wildcard.putIfAbsent((int) port, (int) uid);
            }
        }
    }

    /** The digits between from and to in the radix, or -1 when there are none or one is not a digit. */
    private static long number(byte[] text, int from, int to, int radix) {
        if (from >= to || to - from > 10) {
            return -1;
        }
        long value = 0;
        for (int k = from; k < to; k++) {
            int digit = Character.digit(text[k], radix);
            if (digit < 0) {
                return -1;
            }
            value = value * radix + digit;
        }
        return value;
    }

    /** 127.0.0.1 as /proc writes it: IPv4 little-endian, or IPv4-mapped IPv6. */
    private static boolean isLoopback127(String hex) {
        return hex.equals("0100007F") || hex.equals("0000000000000000FFFF00000100007F");
    }
}
