package org.opencodemcp.connector.opencode;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import org.opencodemcp.connector.config.PortRange;

/** Picks a local port for opencode: a random start in the range, then every port once, in order. */
public final class FreePort {

    private FreePort() {}

    public static int pick(PortRange range) throws IOException {
        int offset = ThreadLocalRandom.current().nextInt(range.size());
        for (int i = 0; i < range.size(); i++) {
            int port = range.first() + (offset + i) % range.size();
            if (isFree(port)) {
                return port;
            }
        }
        throw new IOException("no free local port in " + range + "; choose another range with --port-range");
    }

    static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            return true;
        } catch (IOException taken) {
            return false;
        }
    }
}
