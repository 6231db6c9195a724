package org.opencodemcp.connector.relay;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * Is the tunnel's end reachable from the network? The connector asks the relay to listen on its
 * 127.0.0.1 only, but an sshd with {@code GatewayPorts yes} ignores that and listens on every
 * interface, so anyone who can reach the relay reaches opencode. From this machine, try the relay's
 * own address at the tunnel port: a connection means the tunnel is exposed.
 */
public final class ExposureCheck {

    /** What the check found. {@code detail} says what was tried, for the log and for doctor. */
    public record Result(Verdict verdict, String detail) { }

    public enum Verdict {
        /** Connected from here: the tunnel listens beyond the relay's loopback. */
        EXPOSED,
        /** Refused or no answer within the bound: the tunnel is not reachable from here. */
        NOT_REACHABLE,
        /** The relay address is a loopback address (relay on this machine): there is no public side to try. */
        SKIPPED_LOOPBACK
    }

    private ExposureCheck() {}

    public static Result check(String relayHost, int tunnelPort, Duration timeout) {
        InetAddress address;
        try {
            address = InetAddress.getByName(relayHost);
        } catch (UnknownHostException e) {
            return new Result(Verdict.NOT_REACHABLE, "cannot resolve " + relayHost + " here (" + e.getMessage() + ")");
        }
        String where = address.getHostAddress() + ":" + tunnelPort;
        if (address.isLoopbackAddress()) {
            return new Result(Verdict.SKIPPED_LOOPBACK, "the relay address " + where
                    + " is a loopback address: the relay runs on this machine and has no public side to check");
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, tunnelPort), (int) Math.max(1, timeout.toMillis()));
            return new Result(Verdict.EXPOSED, "connected to the tunnel at " + where + " from this machine");
        } catch (IOException e) {
            return new Result(Verdict.NOT_REACHABLE, "the tunnel at " + where + " is not reachable from here ("
                    + e.getMessage() + ")");
        }
    }

    /** The instruction for an exposed tunnel. */
    public static String advice(String relay, Result r) {
        return "The tunnel on the relay " + relay + " is reachable from the network (" + r.detail() + "): its sshd "
                + "has 'GatewayPorts yes', which makes every tunnel listen on all interfaces. The tunnel was closed. "
                + "Set 'GatewayPorts no' (or 'clientspecified') in the relay's sshd_config and reload sshd, or start "
                + "with --allow-exposed-tunnel if the relay is firewalled and you accept the risk.";
    }
}
