package org.opencodemcp.server.jobs;

import java.time.Instant;

/**
 * One prompt sent through the server and what became of it. Immutable: every change makes a new
 * record, and {@link #to} refuses an illegal transition.
 *
 * @param prompt    the first {@link #PROMPT_PREVIEW} characters of the prompt (the full text stays in OpenCode), or null when text is not stored
 * @param waitingOn the permission or question the turn waits on (JSON), while {@link JobState#WAITING}
 * @param ownerPid  the server process following the job; after it dies, another server reconciles the job
 * @param recorded  false when the store could not write this job (disk full): it lives in memory only
 */
public record Job(String id, String instance, String sessionId, String messageId, String prompt, String agent,
        String model, JobState state, Instant created, Instant updated, Instant ended, long ownerPid,
        String waitingOn, JobResult result, boolean recorded) {

    public static final int PROMPT_PREVIEW = 500;

    public static Job queued(String id, String instance, String sessionId, String prompt, String agent, String model,
            Instant at, long ownerPid) {
        String preview = prompt == null || prompt.length() <= PROMPT_PREVIEW ? prompt : prompt.substring(0, PROMPT_PREVIEW);
        return new Job(id, instance, sessionId, null, preview, agent, model, JobState.QUEUED, at, at, null, ownerPid,
                null, null, true);
    }

    /** This job in state {@code next}; the same job when it already is. */
    public Job to(JobState next, Instant at) {
        if (next == state) {
            return this;
        }
        if (!state.canBecome(next)) {
            throw new IllegalStateException("job " + id + " cannot go from " + state.label() + " to " + next.label());
        }
        return new Job(id, instance, sessionId, messageId, prompt, agent, model, next, created, at,
                next.ended() ? at : null, ownerPid, next == JobState.WAITING ? waitingOn : null, result, recorded);
    }

    public Job waitingOn(String item, Instant at) {
        Job w = to(JobState.WAITING, at);
        return new Job(id, instance, sessionId, messageId, prompt, agent, model, w.state, created, at, null, ownerPid,
                item, result, recorded);
    }

    public Job withMessage(String id2) {
        return new Job(id, instance, sessionId, id2, prompt, agent, model, state, created, updated, ended, ownerPid,
                waitingOn, result, recorded);
    }

    /** Ends the job in {@code end} with {@code r}. */
    public Job ended(JobState end, JobResult r, Instant at) {
        if (!end.ended()) {
            throw new IllegalArgumentException(end.label() + " is not an end state");
        }
        Job e = to(end, at);
        return new Job(id, instance, sessionId, messageId, prompt, agent, model, e.state, created, at, at, ownerPid,
                null, r, recorded);
    }

    public Job withOwner(long pid) {
        return new Job(id, instance, sessionId, messageId, prompt, agent, model, state, created, updated, ended, pid,
                waitingOn, result, recorded);
    }

    public Job unrecorded() {
        return new Job(id, instance, sessionId, messageId, prompt, agent, model, state, created, updated, ended, ownerPid,
                waitingOn, result, false);
    }

    /** Ids, states and figures only (JOBS_STORE_TEXT=false). */
    public Job withoutText() {
        return new Job(id, instance, sessionId, messageId, null, agent, model, state, created, updated, ended, ownerPid,
                waitingOn == null ? null : "{}", result == null ? null : result.withoutText(), recorded);
    }
}
