package org.opencodemcp.server.jobs;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where jobs are kept. SQLite ({@link SqliteJobStore}) is the embedded default; a shared
 * PostgreSQL store for several relays implements the same interface. Every method may throw
 * {@link JobStoreException}; callers keep serving when a write fails (the job is reported as not recorded).
 */
public interface JobStore extends AutoCloseable {

    void insert(Job job);

    /** Replaces the stored job with the same id. */
    void update(Job job);

    Optional<Job> get(String id);

    /**
     * Most recent first.
     *
     * @param instance exact instance name, or null for all
     * @param state    one state, or null for all
     */
    List<Job> list(String instance, JobState state, int limit);

    /** Jobs not yet ended (queued, running, waiting), oldest first, at most {@code limit}. */
    List<Job> unfinished(int limit);

    /** Deletes jobs created before {@code cutoff}; returns how many. */
    int deleteCreatedBefore(Instant cutoff);

    long count();

    /** Where the jobs are, for messages ("/home/me/.local/state/opencode-mcp/jobs.db", "memory"). */
    String location();

    @Override
    void close();
}
