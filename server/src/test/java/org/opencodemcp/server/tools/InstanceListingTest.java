package org.opencodemcp.server.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.opencodemcp.server.instance.InstanceState;
import org.opencodemcp.server.instance.InstanceView;

/** The activity cell and the structured row of one instance: waits are counted, zero counts left out. */
class InstanceListingTest {

    private static InstanceView online(int busy, int permissions, int questions) {
        return new InstanceView("a.json", "a", "host", "/work/a", 1234, InstanceState.ONLINE, "1.0", null, Instant.EPOCH,
                0, null, null, busy, permissions, questions, null);
    }

    @Test
    void anIdleInstanceShowsNoWaits() {
        assertThat(InstanceListing.activity(online(0, 0, 0))).isEqualTo("idle");
        assertThat(InstanceListing.row(online(0, 0, 0))).containsEntry("busySessions", 0)
                .doesNotContainKeys("pendingPermissions", "pendingQuestions");
    }

    @Test
    void permissionsAndQuestionsAreCountedApart() {
        assertThat(InstanceListing.activity(online(2, 1, 1)))
                .isEqualTo("2 busy, 1 waiting for permission, 1 question waiting for an answer");
        assertThat(InstanceListing.activity(online(1, 0, 3))).isEqualTo("1 busy, 3 questions waiting for an answer");
        assertThat(InstanceListing.row(online(1, 0, 3))).containsEntry("pendingQuestions", 3).doesNotContainKey("pendingPermissions");
        assertThat(InstanceListing.row(online(1, 2, 0))).containsEntry("pendingPermissions", 2).doesNotContainKey("pendingQuestions");
    }

    @Test
    void anInstanceNotOnlineShowsNoActivity() {
        InstanceView down = new InstanceView("b.json", "b", "host", "/work/b", 1234, InstanceState.UNREACHABLE, "1.0",
                "refused", Instant.EPOCH, 3, null, null, 0, 0, 0, null);
        assertThat(InstanceListing.activity(down)).isEqualTo("-");
        assertThat(InstanceListing.row(down)).doesNotContainKeys("busySessions", "pendingPermissions", "pendingQuestions");
    }
}
