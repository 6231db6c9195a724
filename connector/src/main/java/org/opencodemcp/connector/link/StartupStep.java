package org.opencodemcp.connector.link;

/**
 * The points where the relay link's thread waits while it (re)connects, in order. Tests hook each one
 * to inject a fault (an interrupt) and check that the link recovers.
 */
public enum StartupStep {
    /** TCP connect, key exchange and login. */
    LOGIN,
    /** The reverse tunnel request (tcpip-forward) and its reply. */
    FORWARD,
    /** The first request through the tunnel (direct-tcpip channel, opencode's answer). */
    ROUND_TRIP,
    /** The registration written over SFTP. */
    REGISTER
}
