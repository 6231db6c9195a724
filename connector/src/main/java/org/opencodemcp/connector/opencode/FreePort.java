package org.opencodemcp.connector.opencode;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** Picks a local port for opencode: a random start in the range, then every port once, in order. */
public final class FreePort {

    private FreePort() {}

    /** A free port in {@code first..last} (inclusive); the caller's range is already checked. */
    public static int pick(int first, int last) throws IOException {
        int size = last - first + 1;
        int offset = ThreadLocalRandom.current().nextInt(size);
        for (int i = 0; i < size; i++) {
            int port = first + (offset + i) % size;
            if (isFree(port)) {
                return port;
            }
        }
        throw new IOException("no free local port in " + first + "-" + last + "; choose another range with --port-range");
    }

    static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            return true;
        } catch (IOException taken) {
            return false;
        }
    }
}
