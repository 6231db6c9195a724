package org.opencodemcp.connector.link;

import org.opencodemcp.connector.relay.RelayException;
import org.opencodemcp.connector.relay.RelaySession;

/** Opens a fresh logged-in session to the relay ({@code SshConnector.open(target, setup)}). */
@FunctionalInterface
public interface RelayOpener {

    RelaySession open() throws RelayException;
}
