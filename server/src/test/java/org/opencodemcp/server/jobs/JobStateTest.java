package org.opencodemcp.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class JobStateTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aJobRunsWaitsRunsAndEndsOnce() {
        Job j = Job.queued("job_1", "laptop", "ses_1", "hello", null, null, T0, 1);
        j = j.to(JobState.RUNNING, T0.plusSeconds(1));
        j = j.waitingOn("{\"id\":\"per_1\"}", T0.plusSeconds(2));
        assertThat(j.state()).isEqualTo(JobState.WAITING);
        assertThat(j.waitingOn()).contains("per_1");
        j = j.to(JobState.RUNNING, T0.plusSeconds(3));
        assertThat(j.waitingOn()).as("the item goes when the wait ends").isNull();
        j = j.ended(JobState.COMPLETED, new JobResult("done", false, null, null, null, null, null), T0.plusSeconds(4));
        assertThat(j.ended()).isEqualTo(T0.plusSeconds(4));
        assertThat(j.result().text()).isEqualTo("done");
        Job done = j;
        for (JobState next : JobState.values()) {
            if (next != JobState.COMPLETED) {
                assertThatThrownBy(() -> done.to(next, T0.plusSeconds(5))).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("cannot go from completed");
            }
        }
    }

    @Test
    void everyTransitionIsLegalOrRefused() {
        for (JobState from : JobState.values()) {
            for (JobState to : JobState.values()) {
                boolean legal = from.canBecome(to);
                if (from.ended() || to == from || to == JobState.QUEUED) {
                    assertThat(legal).as(from + " -> " + to).isFalse();
                } else {
                    assertThat(legal).as(from + " -> " + to).isTrue();
                }
            }
        }
        assertThat(JobState.parse(" Running ")).isEqualTo(JobState.RUNNING);
        assertThat(JobState.parse("nope")).isNull();
    }

    @Test
    void idsAreUlidsThatSortByTime() {
        String a = JobId.next(T0);
        String b = JobId.next(T0.plusMillis(1));
        assertThat(a).matches("job_[0-9A-HJKMNP-TV-Z]{26}");
        assertThat(JobId.valid(a)).isTrue();
        assertThat(a.compareTo(b)).isNegative();
        assertThat(JobId.of(0, new byte[10])).isEqualTo("job_" + "0".repeat(26));
        assertThat(JobId.normalize(" JOB_" + a.substring(4).toLowerCase() + " ")).isEqualTo(a);
        assertThat(JobId.valid("job_123")).isFalse();
    }

    @Test
    void longTextIsCutWithANoteAndPromptsArePreviewed() {
        JobResult r = new JobResult("x".repeat(JobResult.MAX_TEXT + 10), false, null, null, null, null, null);
        assertThat(r.text()).hasSize(JobResult.MAX_TEXT);
        assertThat(r.textCut()).isTrue();
        Job j = Job.queued("job_1", "laptop", "ses_1", "p".repeat(2000), null, null, T0, 1);
        assertThat(j.prompt()).hasSize(Job.PROMPT_PREVIEW);
    }
}
