package org.opencodemcp.connector.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.opencodemcp.connector.config.Timing;
import org.opencodemcp.contract.Registration;

/** The relay link's promise: registered and heartbeated, or visibly reconnecting; anything else is reported. */
class LinkInvariantTest {

    static final Timing TIMING = Timing.defaults().withHeartbeat(Duration.ofSeconds(1)); // allowed age 3 s + 20 s
    static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    static Link link(Registration current, String state) {
        return new Link() {
            @Override public void start() { }
            @Override public Optional<Registration> current() { return Optional.ofNullable(current); }
            @Override public String state() { return state; }
            @Override public void close() { }
        };
    }

    static Registration beatAt(Instant t) {
        return new Registration("laptop-proj", "laptop", 1, 1, "/p", t.minusSeconds(60), t, "i-1", null, null, null,
                null);
    }

    @Test
    void registeredAndFreshlyHeartbeatedHolds() {
        assertThat(LinkInvariant.violation(link(beatAt(NOW.minusSeconds(2)), "registered in x"), TIMING, NOW)).isEmpty();
    }

    @Test
    void reconnectingOrConnectingHolds() {
        assertThat(LinkInvariant.violation(link(null, "reconnecting; last problem: relay down"), TIMING, NOW)).isEmpty();
        assertThat(LinkInvariant.violation(link(null, "connecting"), TIMING, NOW)).isEmpty();
    }

    @Test
    void unregisteredWithoutReconnectingIsAViolation() {
        assertThat(LinkInvariant.violation(link(null, "gave up: no"), TIMING, NOW)).get().asString()
                .contains("not registered and not reconnecting", "gave up");
    }

    @Test
    void aRegistrationNoLongerHeartbeatedIsAViolation() {
        assertThat(LinkInvariant.violation(link(beatAt(NOW.minusSeconds(60)), "registered in x"), TIMING, NOW)).get()
                .asString().contains("not heartbeated since");
    }
}
