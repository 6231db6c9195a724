package org.opencodemcp.server.tools;

import io.modelcontextprotocol.spec.McpSchema.LoggingLevel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The log level each client connection asked for with {@code logging/setLevel}, and its {@link LogThrottle}.
 * The SDK keeps a level per session too, but offers no way to send a log notification outside a request, so
 * the transports answer {@code logging/setLevel} themselves and record it here. A connection that never set
 * a level gets no fleet messages at all. Bounded: at most {@link #MAX_CONNECTIONS} connections, the least
 * recently active forgotten first; a connection is forgotten when it goes away (HTTP DELETE) too.
 */
public final class LogLevels {
    static final int MAX_CONNECTIONS = 1000;
    static final String LEVELS = Arrays.stream(LoggingLevel.values()).map(l -> l.name().toLowerCase(Locale.ROOT))
            .collect(Collectors.joining(", "));

    /** One message for one connection. */
    public record Delivery(String connection, LogLine line) {}

    private static final class Client {
        LoggingLevel level;
        final LogThrottle throttle = new LogThrottle();
    }

    private final Map<String, Client> clients = BoundedMap.leastRecentlyUsed(MAX_CONNECTIONS);

    /** Null when accepted, else why not (for a -32602 error). */
    public synchronized String setLevel(String connection, String level) {
        LoggingLevel parsed = parse(level);
        if (parsed == null) {
            return "level must be one of " + LEVELS;
        }
        clients.computeIfAbsent(connection, k -> new Client()).level = parsed;
        return null;
    }

    /** The connection went away. */
    public synchronized void forget(String connection) {
        clients.remove(connection);
    }

    /** True while any connection has a level: fleet messages are worked out only then. */
    public synchronized boolean any() {
        return !clients.isEmpty();
    }

    synchronized LoggingLevel level(String connection) {
        Client c = clients.get(connection);
        return c == null ? null : c.level;
    }

    /**
     * Addresses {@code lines} to every connection whose level lets them through, within its throttle: first
     * the "and N more" of what an earlier call held back (when the window allows), then the new lines;
     * those that do not fit are counted for a later summary. {@code lost} lines (never seen, of at most
     * level {@code lostLevel}) are counted the same way.
     */
    public synchronized List<Delivery> route(List<LogLine> lines, int lost, LoggingLevel lostLevel, long nowMs) {
        List<Delivery> out = new ArrayList<>();
        // iterating does not count as access: the LRU order stays that of the clients' own messages
        for (Map.Entry<String, Client> e : clients.entrySet()) {
            Client c = e.getValue();
            LogLine summary = c.throttle.summary(nowMs);
            if (summary != null) {
                out.add(new Delivery(e.getKey(), summary));
            }
            for (LogLine line : lines) {
                if (line.level().level() < c.level.level()) {
                    continue;
                }
                if (c.throttle.allow(nowMs)) {
                    out.add(new Delivery(e.getKey(), line));
                } else {
                    c.throttle.suppress(line.level(), 1);
                }
            }
            if (lost > 0 && lostLevel.level() >= c.level.level()) {
                c.throttle.suppress(lostLevel, lost);
            }
        }
        return out;
    }

    /** An MCP level name ({@code debug} ... {@code emergency}), case as the spec writes it; null otherwise. */
    static LoggingLevel parse(String level) {
        if (level == null) {
            return null;
        }
        for (LoggingLevel l : LoggingLevel.values()) {
            if (l.name().toLowerCase(Locale.ROOT).equals(level)) {
                return l;
            }
        }
        return null;
    }
}
