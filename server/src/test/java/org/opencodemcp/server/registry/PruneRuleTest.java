package org.opencodemcp.server.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.opencodemcp.server.instance.InstanceState;

class PruneRuleTest {
    private static final Duration GRACE = Duration.ofMinutes(10);
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private static final Instant LONG_AGO = NOW.minus(GRACE).minusSeconds(1);

    @Test
    void anEntryLostAndSilentForLongerThanTheGraceIsDue() {
        assertThat(PruneRule.due(InstanceState.UNREACHABLE, LONG_AGO, LONG_AGO, NOW, GRACE)).isTrue();
        assertThat(PruneRule.due(InstanceState.MISMATCH, LONG_AGO, LONG_AGO, NOW, GRACE)).isTrue();
        assertThat(PruneRule.due(InstanceState.UNREACHABLE, LONG_AGO, null, NOW, GRACE)).isTrue();
    }

    @Test
    void exactlyTheGraceIsEnough() {
        Instant atGrace = NOW.minus(GRACE);
        assertThat(PruneRule.due(InstanceState.UNREACHABLE, atGrace, atGrace, NOW, GRACE)).isTrue();
    }

    @Test
    void aRecentHeartbeatKeepsAnUnreachableEntry() {
        assertThat(PruneRule.due(InstanceState.UNREACHABLE, LONG_AGO, NOW.minusSeconds(30), NOW, GRACE)).isFalse();
    }

    @Test
    void anEntryLostOnlyRecentlyIsKeptEvenWithAnOldHeartbeat() {
        assertThat(PruneRule.due(InstanceState.UNREACHABLE, NOW.minusSeconds(30), LONG_AGO, NOW, GRACE)).isFalse();
    }

    @Test
    void onlineProbingAndInvalidEntriesAreNeverPruned() {
        for (InstanceState s : new InstanceState[] {InstanceState.ONLINE, InstanceState.PROBING, InstanceState.INVALID}) {
            assertThat(PruneRule.due(s, LONG_AGO, null, NOW, GRACE)).as(s.label()).isFalse();
        }
    }
}
