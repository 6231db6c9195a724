package org.opencodemcp.server.jobs;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The jobs table and its migrations. The schema version lives in SQLite's {@code user_version};
 * migration N brings a database from version N-1 to N, in one transaction, at start. Never edit a
 * released migration: add the next one.
 */
final class JobSchema {

    static final List<List<String>> MIGRATIONS = List.of(
            // 1: the ledger
            List.of("""
                    CREATE TABLE jobs (
                      id TEXT PRIMARY KEY,
                      instance TEXT NOT NULL,
                      session_id TEXT,
                      message_id TEXT,
                      prompt TEXT,
                      agent TEXT,
                      model TEXT,
                      state TEXT NOT NULL,
                      created_at INTEGER NOT NULL,
                      updated_at INTEGER NOT NULL,
                      ended_at INTEGER,
                      waiting_on TEXT,
                      result TEXT)""",
                    "CREATE INDEX jobs_created ON jobs(created_at)"),
            // 2: which server follows a job (a dead one's jobs are reconciled), and the list filters
            List.of("ALTER TABLE jobs ADD COLUMN owner_pid INTEGER NOT NULL DEFAULT 0",
                    "CREATE INDEX jobs_instance_created ON jobs(instance, created_at)",
                    "CREATE INDEX jobs_state_created ON jobs(state, created_at)"),
            // 3: list_jobs {instance, state} reads its page straight from one index (at 100,000 jobs the
            // planner took the state index and filtered a thousand rows by instance: 8 ms instead of < 1)
            List.of("CREATE INDEX jobs_instance_state_created ON jobs(instance, state, created_at)"));

    static final int VERSION = MIGRATIONS.size();

    private JobSchema() {}

    static int version(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("PRAGMA user_version")) {
            return r.next() ? r.getInt(1) : 0;
        }
    }

    /** Runs the missing migrations; returns the version found before. */
    static int migrate(Connection c, String where) throws SQLException {
        int found = version(c);
        if (found > VERSION) {
            throw new JobStoreException("the jobs database " + where + " has schema version " + found
                    + ", newer than this opencode-mcp knows (" + VERSION + "): it was written by a newer release. Run that"
                    + " release, or point JOBS_DB (or --jobs-db) at another file");
        }
        for (int v = found + 1; v <= VERSION; v++) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (String sql : MIGRATIONS.get(v - 1)) {
                    s.execute(sql);
                }
                s.execute("PRAGMA user_version = " + v);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        }
        return found;
    }
}
