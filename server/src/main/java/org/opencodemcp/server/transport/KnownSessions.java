package org.opencodemcp.server.transport;

import java.util.Map;
import org.opencodemcp.server.tools.BoundedMap;

/**
 * The MCP session ids the SDK's servlet handed out, so that what {@link McpMessageFilter} answers itself
 * ({@code logging/setLevel}, {@code resources/subscribe}, {@code notifications/cancelled}) acts only for a
 * real session: a made-up {@code Mcp-Session-Id} cannot fill {@code LogLevels} or the {@code SubscriptionGate}
 * and push out real sessions' entries. The SDK keeps its sessions to itself, so an id is learned from the
 * {@code initialize} response's header as it is set (before the client can read it), and forgotten on
 * DELETE or when the SDK answers 404 for it (a session it closed as idle).
 *
 * <p>Bounded: at most {@link #MAX_SESSIONS}, the least recently active forgotten first. Pushing a live one
 * out takes that many more recently active sessions, each opened with the bearer token.
 */
final class KnownSessions {
    static final int MAX_SESSIONS = 10_000;

    private final Map<String, Boolean> ids;

    KnownSessions() {
        this(MAX_SESSIONS);
    }

    KnownSessions(int capacity) {
        ids = BoundedMap.leastRecentlyUsed(capacity);
    }

    synchronized void add(String id) {
        if (id != null && !id.isBlank()) {
            ids.put(id, Boolean.TRUE);
        }
    }

    /** True for an id the SDK handed out and has not closed to our knowledge; asking counts as activity. */
    synchronized boolean known(String id) {
        return id != null && ids.get(id) != null;
    }

    synchronized void forget(String id) {
        ids.remove(id);
    }
}
