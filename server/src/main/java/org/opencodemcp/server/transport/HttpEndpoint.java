package org.opencodemcp.server.transport;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Where the HTTP mode listens: {@code --http [HOST:]PORT}, falling back to the {@code HOST} and
 * {@code PORT} environment variables, then to {@code 127.0.0.1:8080}.
 *
 * @param host as given (a name, an IPv4 literal, or an IPv6 literal without brackets)
 * @param port 0 means "any free port" (the bound port is logged)
 */
public record HttpEndpoint(String host, int port) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;

    /**
     * @param spec    the {@code --http} value: {@code ""} (no value), {@code PORT}, {@code HOST:PORT} or {@code [V6]:PORT}
     * @param envHost {@code HOST}, may be null or blank
     * @param envPort {@code PORT}, may be null or blank
     */
    public static HttpEndpoint parse(String spec, String envHost, String envPort) {
        String host = blank(envHost) ? DEFAULT_HOST : envHost.strip();
        String s = spec == null ? "" : spec.strip();
        if (s.isEmpty()) {
            return new HttpEndpoint(unbracket(host), blank(envPort) ? DEFAULT_PORT : port(envPort.strip(), "PORT"));
        }
        int colon = s.lastIndexOf(':');
        if (colon < 0) {
            return new HttpEndpoint(unbracket(host), port(s, "--http"));
        }
        String h = s.substring(0, colon);
        if (h.indexOf(':') >= 0 && !h.startsWith("[")) {
            throw new HttpConfigException("--http " + s + ": write an IPv6 address in brackets, e.g. --http [::1]:8080");
        }
        if (h.isEmpty()) {
            throw new HttpConfigException("--http " + s + ": the host before ':' is empty; use --http PORT or --http HOST:PORT");
        }
        return new HttpEndpoint(unbracket(h), port(s.substring(colon + 1), "--http"));
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
