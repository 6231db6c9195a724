package org.opencodemcp.server.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.opencodemcp.server.instance.InstanceState;

class ProbeVerdictTest {
    private static final ProbeOutcome SLOW = new ProbeOutcome.Unreachable("timed out after 5000 ms");
    private static final ProbeOutcome REFUSED = new ProbeOutcome.Unreachable("connection refused", true);

    @Test
    void anAnswerForTheRightDirectoryIsOnlineWithItsVersion() {
        for (InstanceState s : InstanceState.values()) {
            assertThat(ProbeVerdict.after(new ProbeOutcome.Online("1.18.33"), s, 4)).isEqualTo(new ProbeVerdict.Online("1.18.33"));
        }
    }

    @Test
    void oneSlowAnswerFromAnOnlineInstanceIsAskedAgainAtOnce() {
        assertThat(ProbeVerdict.after(SLOW, InstanceState.ONLINE, 0)).isEqualTo(new ProbeVerdict.AskAgain());
    }

    @Test
    void theSecondSlowAnswerInARowCounts() {
        assertThat(ProbeVerdict.after(SLOW, InstanceState.ONLINE, 1))
                .isEqualTo(new ProbeVerdict.Lost(InstanceState.UNREACHABLE, "timed out after 5000 ms"));
    }

    @Test
    void aRefusedConnectionCountsAtOnce() {
        assertThat(ProbeVerdict.after(REFUSED, InstanceState.ONLINE, 0))
                .isEqualTo(new ProbeVerdict.Lost(InstanceState.UNREACHABLE, "connection refused"));
    }

    @Test
    void aSlowAnswerFromAnInstanceNotOnlineCountsAtOnce() {
        for (InstanceState s : new InstanceState[] {InstanceState.PROBING, InstanceState.UNREACHABLE, InstanceState.MISMATCH}) {
            assertThat(ProbeVerdict.after(SLOW, s, 0)).as(s.label()).isInstanceOf(ProbeVerdict.Lost.class);
        }
    }

    @Test
    void anAnswerForAnotherDirectoryIsAMismatchEvenWhenOnline() {
        assertThat(ProbeVerdict.after(new ProbeOutcome.Mismatch("serves /other"), InstanceState.ONLINE, 0))
                .isEqualTo(new ProbeVerdict.Lost(InstanceState.MISMATCH, "serves /other"));
    }
}
