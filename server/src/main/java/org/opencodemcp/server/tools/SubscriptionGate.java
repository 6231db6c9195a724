package org.opencodemcp.server.tools;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import org.opencodemcp.server.registry.InstanceRegistry;

/**
 * Keeps resource subscriptions bounded. The SDK records every {@code resources/subscribe} it is given,
 * any URI, without limit; the transports ask here first. Accepted: {@code opencode://fleet}, and the
 * instance and session templates with a registered instance name and an OpenCode-shaped session id;
 * at most {@link #MAX_PER_CONNECTION} URIs per connection, for at most {@link #MAX_CONNECTIONS}
 * connections (the least recently used is forgotten first). {@code resources/unsubscribe} frees its
 * URI; a connection's entry goes when the SDK session goes (HTTP) or with the process (stdio).
 */
public final class SubscriptionGate {
    static final int MAX_PER_CONNECTION = 200;
    static final int MAX_CONNECTIONS = 1000;
    private static final java.util.regex.Pattern SESSION_ID = java.util.regex.Pattern.compile("ses_[A-Za-z0-9]{1,64}");

    private final InstanceRegistry registry;
    private final Map<String, Set<String>> byConnection = BoundedMap.leastRecentlyUsed(MAX_CONNECTIONS);

    public SubscriptionGate(InstanceRegistry registry) {
        this.registry = registry;
    }

    /** Null when the subscription may go on to the SDK, else why not (for a -32602 error). */
    public synchronized String subscribe(String connection, String uri) {
        String problem = problem(uri);
        if (problem != null) {
            return problem;
        }
        Set<String> uris = byConnection.computeIfAbsent(connection, k -> new HashSet<>());
        if (!uris.contains(uri) && uris.size() >= MAX_PER_CONNECTION) {
            return "at most " + MAX_PER_CONNECTION + " resource subscriptions per session; unsubscribe from some first";
        }
        uris.add(uri);
        return null;
    }

    public synchronized void unsubscribe(String connection, String uri) {
        Set<String> uris = byConnection.get(connection);
        if (uris != null) {
            uris.remove(uri);
            if (uris.isEmpty()) {
                byConnection.remove(connection);
            }
        }
    }

    /** The connection went away. */
    public synchronized void forget(String connection) {
        byConnection.remove(connection);
    }

    /** True while any connection holds a subscription: resource updates are worked out only then. */
    public synchronized boolean any() {
        return !byConnection.isEmpty();
    }

    synchronized int subscriptions(String connection) {
        Set<String> uris = byConnection.get(connection);
        return uris == null ? 0 : uris.size();
    }

    private String problem(String uri) {
        if (uri == null) {
            return "uri is required";
        }
        if (uri.equals(ResourceSet.FLEET)) {
            return null;
        }
        Matcher session = ResourceSet.SESSION.matcher(uri);
        if (session.matches()) {
            if (!SESSION_ID.matcher(ResourceSet.decode(session.group(2))).matches()) {
                return "not a session id: " + ResourceSet.decode(session.group(2));
            }
            return known(ResourceSet.decode(session.group(1)));
        }
        Matcher instance = ResourceSet.INSTANCE.matcher(uri);
        if (instance.matches()) {
            return known(ResourceSet.decode(instance.group(1)));
        }
        return "no such resource: " + uri + " (opencode://fleet, opencode://instance/{name}, opencode://instance/{name}/session/{id})";
    }

    private String known(String name) {
        boolean registered = registry.snapshot().instances().stream().anyMatch(v -> v.name().equals(name));
        return registered ? null : "no instance is named " + name;
    }
}
