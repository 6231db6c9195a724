package org.opencodemcp.server.jobs;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Where a job stands. Only the transitions listed in {@link #canBecome} are legal: a job is queued
 * before its prompt is posted, runs (and may wait on a permission or question and run again), and
 * ends once. An ended job never changes state again.
 */
public enum JobState {
    /** Recorded; the prompt is being posted. */
    QUEUED,
    /** The prompt was accepted; the turn runs. */
    RUNNING,
    /** The turn is paused on a permission request or a question (the item is kept). */
    WAITING,
    COMPLETED,
    /** The turn ended with OpenCode's error, or the prompt was refused. */
    FAILED,
    /** The turn was stopped (abort_session or in OpenCode itself). */
    ABORTED,
    /** The instance went away before the turn ended and did not come back within PRUNE_AFTER_MS. */
    LOST;

    public boolean ended() {
        return this == COMPLETED || this == FAILED || this == ABORTED || this == LOST;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The state named {@code label} (case-insensitive), or null. */
    public static JobState parse(String label) {
        if (label == null) {
            return null;
        }
        for (JobState s : values()) {
            if (s.name().equalsIgnoreCase(label.trim())) {
                return s;
            }
        }
        return null;
    }

    public boolean canBecome(JobState next) {
        return next != this && next(this).contains(next);
    }

    private static Set<JobState> next(JobState from) {
        return switch (from) {
            case QUEUED -> EnumSet.of(RUNNING, WAITING, COMPLETED, FAILED, ABORTED, LOST);
            case RUNNING -> EnumSet.of(WAITING, COMPLETED, FAILED, ABORTED, LOST);
            case WAITING -> EnumSet.of(RUNNING, COMPLETED, FAILED, ABORTED, LOST);
            case COMPLETED, FAILED, ABORTED, LOST -> EnumSet.noneOf(JobState.class);
        };
    }
}
