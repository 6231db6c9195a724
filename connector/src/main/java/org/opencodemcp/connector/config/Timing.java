package org.opencodemcp.connector.config;

import java.time.Duration;

/**
 * Every delay and bound the connector uses, in one place so tests can shrink them.
 *
 * @param heartbeat      how often the registration's heartbeatAt is refreshed and the tunnel round trip checked
 * @param probeTimeout   bound of one health request (local or through the tunnel)
 * @param startupTimeout how long opencode may take to answer /global/health after launch
 * @param stopTimeout    how long opencode gets after SIGTERM before it is killed (it can ignore SIGTERM
 *                       for 30 s while a plugin install runs)
 * @param reconnectMin   first reconnect delay after the relay link drops
 * @param reconnectMax   cap of the exponential reconnect delay
 * @param stableAfter    a link that stayed up this long resets the backoff (a flapping one keeps growing it)
 * @param failuresBeforeReconnect consecutive failed round trips that make the link reconnect
 * @param giveUpAfter    how long the link may keep reaching the relay yet fail to register (login refused,
 *                       tunnel or SFTP refused, registry not writable) before the connector stops with an
 *                       error instead of running unregistered; an unreachable relay is retried for ever
 */
public record Timing(
        Duration heartbeat,
        Duration probeTimeout,
        Duration startupTimeout,
        Duration stopTimeout,
        Duration reconnectMin,
        Duration reconnectMax,
        Duration stableAfter,
        int failuresBeforeReconnect,
        Duration giveUpAfter) {

    /** The defaults of the settings that have an option, as the options write them (shown by --help). */
    public static final String DEFAULT_HEARTBEAT = "30s";
    public static final String DEFAULT_STARTUP_TIMEOUT = "60s";
    public static final String DEFAULT_STOP_TIMEOUT = "10s";
    public static final String DEFAULT_RECONNECT_MIN = "1s";
    public static final String DEFAULT_RECONNECT_MAX = "60s";

    public static Timing defaults() {
        return new Timing(Durations.parse(DEFAULT_HEARTBEAT), Duration.ofSeconds(10), Durations.parse(DEFAULT_STARTUP_TIMEOUT),
                Durations.parse(DEFAULT_STOP_TIMEOUT), Durations.parse(DEFAULT_RECONNECT_MIN),
                Durations.parse(DEFAULT_RECONNECT_MAX), Duration.ofSeconds(30), 2, Duration.ofMinutes(10));
    }

    public Timing withHeartbeat(Duration d) {
        return new Timing(d, probeTimeout, startupTimeout, stopTimeout, reconnectMin, reconnectMax, stableAfter,
                failuresBeforeReconnect, giveUpAfter);
    }

    public Timing withReconnect(Duration min, Duration max) {
        return new Timing(heartbeat, probeTimeout, startupTimeout, stopTimeout, min, max, stableAfter,
                failuresBeforeReconnect, giveUpAfter);
    }

    public Timing withStartupTimeout(Duration d) {
        return new Timing(heartbeat, probeTimeout, d, stopTimeout, reconnectMin, reconnectMax, stableAfter,
                failuresBeforeReconnect, giveUpAfter);
    }

    public Timing withStopTimeout(Duration d) {
        return new Timing(heartbeat, probeTimeout, startupTimeout, d, reconnectMin, reconnectMax, stableAfter,
                failuresBeforeReconnect, giveUpAfter);
    }

    public Timing withGiveUpAfter(Duration d) {
        return new Timing(heartbeat, probeTimeout, startupTimeout, stopTimeout, reconnectMin, reconnectMax, stableAfter,
                failuresBeforeReconnect, d);
    }
}
