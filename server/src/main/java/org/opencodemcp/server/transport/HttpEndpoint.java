package org.opencodemcp.server.transport;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Where the HTTP mode listens: {@code --http [HOST:]PORT}, else {@code HTTP_BIND} ({@code HOST:PORT},
 * {@code HOST} or {@code PORT}), else {@code 127.0.0.1}; the port, when neither names one, from
 * {@code PORT}, else 8080. The generic {@code HOST} variable is never read: it is set for other
 * programs (containers, PaaS), and following it once exposed the server on every interface.
 *
 * @param host as given (a name, an IPv4 literal, or an IPv6 literal without brackets)
 * @param port 0 means "any free port" (the bound port is logged)
 */
public record HttpEndpoint(String host, int port) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;

    /**
     * @param spec    the {@code --http} value: {@code ""} (no value), {@code PORT}, {@code HOST:PORT} or {@code [V6]:PORT}
     * @param envBind {@code HTTP_BIND}, may be null or blank
     * @param envPort {@code PORT}, may be null or blank
     */
    public static HttpEndpoint parse(String spec, String envBind, String envPort) {
        String[] option = split(spec == null ? "" : spec.strip(), "--http");
        String[] bind = split(blank(envBind) ? "" : envBind.strip(), "HTTP_BIND");
        String host = option[0] != null ? option[0] : bind[0] != null ? bind[0] : DEFAULT_HOST;
        int port = option[1] != null ? port(option[1], "--http")
                : bind[1] != null ? port(bind[1], "HTTP_BIND")
                : blank(envPort) ? DEFAULT_PORT : port(envPort.strip(), "PORT");
        return new HttpEndpoint(unbracket(host), port);
    }

    /** {host, port} of {@code HOST:PORT}, {@code PORT} (digits) or {@code HOST}; either may be null. */
    private static String[] split(String s, String source) {
        if (s.isEmpty()) {
            return new String[2];
        }
        if (s.chars().allMatch(Character::isDigit)) {
            return new String[] {null, s};
        }
        int colon = s.lastIndexOf(':');
        boolean bracketedOnly = s.startsWith("[") && s.endsWith("]");
        if (colon < 0 || bracketedOnly) {
            if ("--http".equals(source)) {
                port(s, source); // "--http localhost" is not a port: say so
            }
            return new String[] {s, null};
        }
        String h = s.substring(0, colon);
        if (h.indexOf(':') >= 0 && !h.startsWith("[")) {
            throw new HttpConfigException(source + " " + s + ": write an IPv6 address in brackets, e.g. [::1]:8080");
        }
        if (h.isEmpty()) {
            throw new HttpConfigException(source + " " + s + ": the host before ':' is empty; use PORT or HOST:PORT");
        }
        return new String[] {h, s.substring(colon + 1)};
    }

    /** True when the address is a loopback one (127.0.0.0/8, ::1, or a name resolving only there). */
    public boolean loopback() {
        try {
            InetAddress[] all = InetAddress.getAllByName(host);
            for (InetAddress a : all) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return all.length > 0;
        } catch (UnknownHostException e) {
            throw new HttpConfigException("cannot resolve the listen address '" + host + "': " + e.getMessage());
        }
    }

    /** The host as it appears in a URL or a Host header ({@code [::1]} for IPv6). */
    public String urlHost() {
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }

    private static String unbracket(String h) {
        if (h.startsWith("[")) {
            if (!h.endsWith("]") || h.length() < 3) {
                throw new HttpConfigException("bad host '" + h + "': an IPv6 address is written [addr]");
            }
            return h.substring(1, h.length() - 1);
        }
        return h;
    }

    private static int port(String text, String source) {
        try {
            int p = Integer.parseInt(text);
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new HttpConfigException(source + ": '" + text + "' is not a port (0-65535; 0 picks a free one)");
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
