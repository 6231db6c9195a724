package org.opencodemcp.connector.link;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.opencodemcp.connector.config.Timing;
import org.opencodemcp.contract.Registration;

/**
 * The promise of a relay link while opencode runs and nobody asked it to stop: either the registration
 * exists and is heartbeated, or the link is visibly (re)connecting. The connector checks it every
 * second; a broken promise stops the connector with the reason instead of leaving opencode running
 * where the assistant cannot see it.
 */
public final class LinkInvariant {

    private LinkInvariant() {}

    /** @return what is wrong, or empty when the promise holds */
    public static Optional<String> violation(Link link, Timing timing, Instant now) {
        Optional<Registration> r = link.current();
        String state = link.state();
        if (r.isEmpty()) {
            if (state.startsWith("connecting") || state.startsWith("reconnecting")) {
                return Optional.empty();
            }
            return Optional.of("not registered and not reconnecting (" + state + ")");
        }
        Instant beat = r.get().heartbeatAt() != null ? r.get().heartbeatAt() : r.get().connectedAt();
        // failed heartbeats are retried failuresBeforeReconnect times, each bounded by probeTimeout, then the
        // link reconnects and current() is empty: past that the registration is stale and nobody noticed
        Duration allowed = timing.heartbeat().multipliedBy(timing.failuresBeforeReconnect() + 1L)
                .plus(timing.probeTimeout().multipliedBy(2L));
        if (beat != null && Duration.between(beat, now).compareTo(allowed) > 0) {
            return Optional.of("registration " + r.get().name() + " not heartbeated since " + beat);
        }
        return Optional.empty();
    }
}
