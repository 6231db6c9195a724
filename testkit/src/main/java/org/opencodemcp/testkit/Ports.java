package org.opencodemcp.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free loopback ports for processes that must be told their port up front. */
public final class Ports {
    private Ports() {}

    /**
     * A port that was free on 127.0.0.1 a moment ago. Another process can still take it before the
     * caller binds it; callers that start a server should read back the port it really listens on.
     */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }
}
