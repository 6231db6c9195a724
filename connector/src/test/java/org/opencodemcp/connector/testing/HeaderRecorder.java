package org.opencodemcp.connector.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for whatever listens on a registration's port (a hijacker, or another person's instance):
 * answers every request with a healthy OpenCode reply and records the request heads it received, so a
 * test can prove which credentials were sent to it.
 */
public final class HeaderRecorder implements AutoCloseable {

    private final ServerSocket server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final Thread thread;

    private HeaderRecorder(ServerSocket server) {
        this.server = server;
        this.thread = new Thread(this::serve, "header-recorder-" + server.getLocalPort());
        thread.setDaemon(true);
        thread.start();
    }

    public static HeaderRecorder start() throws IOException {
        return new HeaderRecorder(new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1")));
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Every request head received so far (request line and headers). */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    /** The Authorization header values received, lower-cased header name matched. */
    public List<String> authorizations() {
        return requests.stream().flatMap(r -> r.lines())
                .filter(l -> l.toLowerCase(Locale.ROOT).startsWith("authorization:"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).toList();
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                s.setSoTimeout(5000);
                InputStream in = s.getInputStream();
                StringBuilder head = new StringBuilder();
                byte[] buf = new byte[4096];
                for (int n; head.indexOf("\r\n\r\n") < 0 && head.length() < 65536 && (n = in.read(buf)) > 0; ) {
                    head.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                }
                requests.add(head.toString());
                byte[] body = "{\"healthy\":true,\"version\":\"recorder\"}".getBytes(StandardCharsets.UTF_8);
                OutputStream out = s.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
            } catch (IOException e) {
                // closed, or a client gave up: keep serving until close()
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
