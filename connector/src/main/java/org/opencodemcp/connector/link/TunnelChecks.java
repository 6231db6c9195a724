package org.opencodemcp.connector.link;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.opencodemcp.connector.opencode.Health;
import org.opencodemcp.connector.relay.ExposureCheck;
import org.opencodemcp.connector.relay.RelayException;
import org.opencodemcp.connector.relay.RelaySession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the relay link checks on a new tunnel before it registers it: that the tunnel is not reachable
 * from the network, and that one request goes through it. Also the rule that an interrupt of the
 * link's thread fails the attempt.
 */
final class TunnelChecks {

    private static final Logger LOG = LoggerFactory.getLogger(RelayLink.class); // the log reads as one link
    /** A firewall that drops packets makes the exposure check wait this long (once per connect). */
    private static final Duration EXPOSURE_TIMEOUT = Duration.ofSeconds(2);

    private final Pause pause;
    private final Consumer<StartupStep> beforeStep;
    private final Optional<String> auth;
    private final Duration probeTimeout;
    private final boolean allowExposedTunnel;

    TunnelChecks(Pause pause, Consumer<StartupStep> beforeStep, Optional<String> auth, Duration probeTimeout,
                 boolean allowExposedTunnel) {
        this.pause = pause;
        this.beforeStep = beforeStep;
        this.auth = auth;
        this.probeTimeout = probeTimeout;
        this.allowExposedTunnel = allowExposedTunnel;
    }

    /**
     * The tunnel must end on the relay's loopback. An sshd with GatewayPorts yes listens on every interface
     * instead; then this machine can connect to the relay's own address at the tunnel port, and so can anyone.
     */
    void exposure(RelaySession s, int port) throws ExposedTunnelException {
        ExposureCheck.Result r = ExposureCheck.check(s.host(), port, EXPOSURE_TIMEOUT);
        switch (r.verdict()) {
            case SKIPPED_LOOPBACK -> LOG.info("exposure check skipped: {}", r.detail());
            case NOT_REACHABLE -> LOG.debug("exposure check passed: {}", r.detail());
            case EXPOSED -> {
                if (!allowExposedTunnel) {
                    throw new ExposedTunnelException(ExposureCheck.advice(s.description(), r));
                }
                LOG.warn("the tunnel is reachable from the network ({}); kept because of --allow-exposed-tunnel",
                        r.detail());
            }
        }
    }

    /** Turns an interrupt of the link's thread into a failed attempt (then a reconnect), never into a stop. */
    static void failIfInterrupted(String step) throws RelayException {
        if (Thread.interrupted()) {
            throw new RelayException("The relay link was interrupted while " + step + "; reconnecting", false, null);
        }
    }

    /**
     * One request through the new tunnel before the registration is written, so a registration always
     * points at a working port. A relay that forbids direct-tcpip channels (AllowTcpForwarding remote)
     * cannot be checked this way; then heartbeats rely on SSH keepalives and the local health check.
     *
     * @return whether later heartbeats can check the round trip
     */
    boolean firstRoundTrip(RelaySession s, int port) throws RelayException {
        IOException last = null;
        // a channel open fails now and then right after the forward: JSch's Channel.connect swallows an
        // interrupt of its wait and reports "channel is not opened" (what the stray tcpip-forward interrupt
        // used to cause); a few quick retries tell that apart from a relay that forbids direct-tcpip
        // altogether
        for (int attempt = 1; attempt <= 5 && !pause.woken(); attempt++) {
            beforeStep.accept(StartupStep.ROUND_TRIP);
            try {
                Health h = Health.parse(s.get(port, "/global/health", auth, probeTimeout));
                if (!h.healthy()) {
                    throw new RelayException("opencode answered healthy=false through the tunnel", false, null);
                }
                return true;
            } catch (IOException e) {
                failIfInterrupted("checking the tunnel (" + e.getMessage() + ")");
                if (!s.isConnected()) {
                    throw new RelayException("the relay session dropped while checking the tunnel: " + e.getMessage(),
                            false, e);
                }
                last = e;
                LOG.debug("round trip {} through relay port {} failed: {}", attempt, port, e.getMessage());
                pause.sleep(Duration.ofMillis(100L * attempt));
                failIfInterrupted("checking the tunnel");
            }
        }
        LOG.warn("cannot check a round trip through the tunnel ({}); the relay may forbid direct-tcpip "
                + "channels. Relying on SSH keepalives instead.", last == null ? "stopped" : last.getMessage());
        return false;
    }
}
