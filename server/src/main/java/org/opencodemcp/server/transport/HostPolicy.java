package org.opencodemcp.server.transport;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * DNS-rebinding protection: which {@code Host} and {@code Origin} headers are accepted.
 *
 * <p>Always allowed: the loopback names ({@code localhost}, {@code 127.0.0.1}, {@code [::1]}) and the
 * bound address, on the bound port; Origins {@code http(s)://} of those. A request without
 * {@code Origin} (every non-browser client) passes the origin check. {@code ALLOWED_HOSTS} adds
 * entries {@code name} (any port), {@code name:port}, {@code name:*}, or {@code *} (no host check).
 * {@code ALLOWED_ORIGINS} adds {@code scheme://name[:port]}, {@code scheme://name:*}, or {@code *}.
 * Matching is case-insensitive; default ports (80, 443) may be written or left out.
 */
public final class HostPolicy {
    private static final List<String> LOOPBACK = List.of("localhost", "127.0.0.1", "[::1]");

    private final boolean anyHost;
    private final boolean anyOrigin;
    private final List<HostPattern> hosts;
    private final Set<String> origins;
    private final List<String> originWildcardPorts;

    private record HostPattern(String name, String port) {
        /** {@code port} null = any port. */
        boolean matches(String n, String p) {
            return name.equals(n) && (port == null || port.equals(p));
        }
    }

    private HostPolicy(boolean anyHost, boolean anyOrigin, List<HostPattern> hosts, Set<String> origins, List<String> originWildcardPorts) {
        this.anyHost = anyHost;
        this.anyOrigin = anyOrigin;
        this.hosts = hosts;
        this.origins = origins;
        this.originWildcardPorts = originWildcardPorts;
    }

    /**
     * @param boundHost the listen address ({@link HttpEndpoint#urlHost()} form); a wildcard address adds nothing
     * @param port      the bound port (after binding, so never 0)
     */
    public static HostPolicy of(String allowedHosts, String allowedOrigins, String boundHost, int port) {
        List<String> names = new ArrayList<>(LOOPBACK);
        String bound = boundHost.toLowerCase(Locale.ROOT);
        if (!bound.equals("0.0.0.0") && !bound.equals("[::]") && !names.contains(bound)) {
            names.add(bound);
        }
        String p = Integer.toString(port);
        boolean anyHost = false;
        List<HostPattern> hosts = new ArrayList<>();
        for (String n : names) {
            hosts.add(new HostPattern(n, p));
        }
        for (String entry : split(allowedHosts)) {
            if (entry.equals("*")) {
                anyHost = true;
                continue;
            }
            String[] hp = splitHostPort(entry.toLowerCase(Locale.ROOT), "ALLOWED_HOSTS entry '" + entry + "'");
            hosts.add(new HostPattern(hp[0], hp[1] == null || hp[1].equals("*") ? null : hp[1]));
        }
        boolean anyOrigin = false;
        Set<String> origins = new LinkedHashSet<>();
        List<String> wildcardPorts = new ArrayList<>();
        for (String n : names) {
            origins.add("http://" + n + ":" + p);
            origins.add("https://" + n + ":" + p);
        }
        for (String entry : split(allowedOrigins)) {
            if (entry.equals("*")) {
                anyOrigin = true;
                continue;
            }
            String e = entry.toLowerCase(Locale.ROOT);
            if (e.endsWith("/")) {
                e = e.substring(0, e.length() - 1);
            }
            if (e.endsWith(":*")) {
                String base = e.substring(0, e.length() - 2);
                requireOriginShape(base, entry);
                wildcardPorts.add(base);
            } else {
                String normalized = normalizeOrigin(e);
                if (normalized == null) {
                    throw new HttpConfigException("ALLOWED_ORIGINS entry '" + entry
                            + "' is not an origin; write scheme://host[:port], e.g. https://chat.example.com");
                }
                origins.add(normalized);
            }
        }
        return new HostPolicy(anyHost, anyOrigin, List.copyOf(hosts), Set.copyOf(origins), List.copyOf(wildcardPorts));
    }

    /** Why {@code host} (the Host header) is refused, or null when it is allowed. */
    public String hostProblem(String host) {
        if (anyHost) {
            return null;
        }
        if (host == null || host.isBlank()) {
            return "a Host header is required";
        }
        String[] hp;
        try {
            hp = splitHostPort(host.strip().toLowerCase(Locale.ROOT), "Host");
        } catch (HttpConfigException e) {
            return "malformed Host header";
        }
        for (HostPattern pattern : hosts) {
            if (pattern.matches(hp[0], hp[1])) {
                return null;
            }
        }
        return "Host '" + printable(host) + "' is not allowed (DNS-rebinding protection); the server operator can add it to ALLOWED_HOSTS";
    }

    /** Why {@code origin} (the Origin header) is refused, or null when it is allowed or absent. */
    public String originProblem(String origin) {
        if (origin == null || origin.isBlank() || anyOrigin) {
            return null;
        }
        String o = origin.strip().toLowerCase(Locale.ROOT);
        String normalized = normalizeOrigin(o);
        if (normalized != null) {
            if (origins.contains(normalized)) {
                return null;
            }
            for (String base : originWildcardPorts) {
                if (o.equals(base) || o.startsWith(base + ":")) {
                    return null;
                }
            }
        }
        return "Origin '" + printable(origin) + "' is not allowed (DNS-rebinding protection); the server operator can add it to ALLOWED_ORIGINS";
    }

    /** Comma- or whitespace-separated entries of an option or environment variable. */
    static List<String> split(String csv) {
        List<String> out = new ArrayList<>();
        if (csv == null) {
            return out;
        }
        for (String part : csv.split("[,\\s]+")) {
            if (!part.isBlank()) {
                out.add(part.strip());
            }
        }
        return out;
    }

    /** {@code name[:port]} or {@code [v6][:port]} -> {name, port-or-null}; the name of an IPv6 literal keeps its brackets. */
    static String[] splitHostPort(String s, String what) {
        String name;
        String port = null;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new HttpConfigException(what + ": unterminated '['");
            }
            name = s.substring(0, close + 1);
            String rest = s.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new HttpConfigException(what + ": expected ':port' after ']'");
                }
                port = rest.substring(1);
            }
        } else {
            int colon = s.indexOf(':');
            if (colon >= 0) {
                if (s.indexOf(':', colon + 1) >= 0) {
                    throw new HttpConfigException(what + ": write an IPv6 address in brackets, e.g. [::1]:8080");
                }
                name = s.substring(0, colon);
                port = s.substring(colon + 1);
            } else {
                name = s;
            }
        }
        if (name.isEmpty() || !name.matches("[a-z0-9._\\-\\[\\]:%]+")) {
            throw new HttpConfigException(what + ": '" + s + "' is not a host name");
        }
        if (port != null && !port.equals("*") && !port.matches("[0-9]{1,5}")) {
            throw new HttpConfigException(what + ": '" + port + "' is not a port");
        }
        return new String[] {name, port};
    }

    /** {@code scheme://host[:port]} with the default port made explicit, or null if it is not that shape. */
    static String normalizeOrigin(String o) {
        int sep = o.indexOf("://");
        if (sep <= 0) {
            return null;
        }
        String scheme = o.substring(0, sep);
        if (!scheme.matches("[a-z][a-z0-9+.\\-]*")) {
            return null;
        }
        String rest = o.substring(sep + 3);
        if (rest.isEmpty() || rest.contains("/") || rest.contains("@") || rest.contains("?") || rest.contains("#")) {
            return null;
        }
        String[] hp;
        try {
            hp = splitHostPort(rest, "origin");
        } catch (HttpConfigException e) {
            return null;
        }
        String port = hp[1];
        if (port == null) {
            port = switch (scheme) {
                case "http", "ws" -> "80";
                case "https", "wss" -> "443";
                default -> "";
            };
        } else if (port.equals("*")) {
            return null;
        }
        return scheme + "://" + hp[0] + (port.isEmpty() ? "" : ":" + port);
    }

    private static void requireOriginShape(String base, String entry) {
        if (normalizeOrigin(base) == null) {
            throw new HttpConfigException("ALLOWED_ORIGINS entry '" + entry + "' is not an origin; write scheme://host:*");
        }
    }

    /** Echoed values are cut short and stripped of control characters. */
    private static String printable(String s) {
        String t = s.length() > 100 ? s.substring(0, 100) + "..." : s;
        return t.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
