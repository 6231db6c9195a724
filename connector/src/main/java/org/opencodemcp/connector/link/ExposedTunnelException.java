package org.opencodemcp.connector.link;

import org.opencodemcp.connector.relay.RelayException;

/** The tunnel was reachable from the network (the relay's sshd has GatewayPorts yes): the link stops. */
final class ExposedTunnelException extends RelayException {

    ExposedTunnelException(String message) {
        super(message, true, null);
    }
}
