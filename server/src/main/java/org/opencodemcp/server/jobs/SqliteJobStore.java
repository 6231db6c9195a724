package org.opencodemcp.server.jobs;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The embedded job store: one SQLite file in WAL mode (readers never wait for the writer; several
 * servers may share the file), or an in-memory database for {@code JOBS_DB=:memory:}. One connection,
 * used by one thread at a time. The driver (and its native library, extracted to the temp directory)
 * is loaded only here, so opening it is kept off the path to the first MCP answer ({@link JobLedger}).
 */
public final class SqliteJobStore implements JobStore {
    private static final String COLUMNS = "id, instance, session_id, message_id, prompt, agent, model, state, created_at,"
            + " updated_at, ended_at, waiting_on, result, owner_pid";

    private final Connection db;
    private final String location;

    private SqliteJobStore(Connection db, String location) {
        this.db = db;
        this.location = location;
    }

    /** Opens (creating and migrating) the database; {@code file} null = in memory. */
    public static SqliteJobStore open(Path file) {
        String where = file == null ? "memory" : file.toString();
        if (file != null) {
            DatabaseFile.prepare(file);
        }
        Connection c = null;
        try {
            c = DriverManager.getConnection(file == null ? "jdbc:sqlite::memory:" : "jdbc:sqlite:" + file);
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout = 2000");
                if (file != null) {
                    try (ResultSet r = s.executeQuery("PRAGMA journal_mode = WAL")) {
                        r.next();
                    }
                    s.execute("PRAGMA synchronous = NORMAL");
                }
                try (ResultSet r = s.executeQuery("PRAGMA quick_check")) {
                    String verdict = r.next() ? r.getString(1) : "no answer";
                    if (!"ok".equalsIgnoreCase(verdict)) {
                        throw new JobStoreException(DatabaseFile.refusal(file, "SQLite finds it damaged (" + verdict + ")"));
                    }
                }
            }
            JobSchema.migrate(c, where);
            if (file != null) {
                DatabaseFile.closeUp(file);
            }
            return new SqliteJobStore(c, where);
        } catch (SQLException e) {
            close(c);
            throw new JobStoreException(file == null ? "cannot open the in-memory jobs database: " + e.getMessage()
                    : DatabaseFile.refusal(file, explain(e) + (locked(e) ? "; `fuser " + file + "` names the process"
                            + " holding it (another program with the file open in exclusive mode): let it finish or stop it" : "")), e);
        } catch (RuntimeException e) {
            close(c);
            throw e;
        }
    }

    private static boolean locked(SQLException e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("SQLITE_BUSY") || m.contains("SQLITE_LOCKED") || m.contains("locked");
    }

    /** SQLite's own words, with the likely reason for the common codes. */
    static String explain(SQLException e) {
        String m = String.valueOf(e.getMessage());
        if (locked(e)) {
            return "it is locked by another process (" + m + ")";
        }
        if (m.contains("SQLITE_NOTADB") || m.contains("SQLITE_CORRUPT") || m.contains("malformed")) {
            return "it is corrupt (" + m + ")";
        }
        if (m.contains("SQLITE_READONLY") || m.contains("SQLITE_CANTOPEN")) {
            return "it cannot be written (" + m + ")";
        }
        if (m.contains("SQLITE_FULL")) {
            return "the disk is full (" + m + ")";
        }
        return m;
    }

    private static void close(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // already failing
            }
        }
    }

    @Override
    public synchronized void insert(Job job) {
        write("INSERT INTO jobs (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", job, false);
    }

    @Override
    public synchronized void update(Job job) {
        write("UPDATE jobs SET id=?, instance=?, session_id=?, message_id=?, prompt=?, agent=?, model=?, state=?,"
                + " created_at=?, updated_at=?, ended_at=?, waiting_on=?, result=?, owner_pid=? WHERE id=?", job, true);
    }

    private void write(String sql, Job j, boolean byId) {
        try (PreparedStatement p = db.prepareStatement(sql)) {
            p.setString(1, j.id());
            p.setString(2, j.instance());
            p.setString(3, j.sessionId());
            p.setString(4, j.messageId());
            p.setString(5, j.prompt());
            p.setString(6, j.agent());
            p.setString(7, j.model());
            p.setString(8, j.state().label());
            p.setLong(9, j.created().toEpochMilli());
            p.setLong(10, j.updated().toEpochMilli());
            if (j.ended() == null) {
                p.setNull(11, Types.INTEGER);
            } else {
                p.setLong(11, j.ended().toEpochMilli());
            }
            p.setString(12, j.waitingOn());
            p.setString(13, JobCodec.write(j.result()));
            p.setLong(14, j.ownerPid());
            if (byId) {
                p.setString(15, j.id());
            }
            p.executeUpdate();
        } catch (SQLException e) {
            throw new JobStoreException("could not record job " + j.id() + " in " + location + ": " + explain(e), e);
        }
    }

    @Override
    public synchronized Optional<Job> get(String id) {
        List<Job> one = query("SELECT " + COLUMNS + " FROM jobs WHERE id = ?", List.of(id), 1);
        return one.stream().findFirst();
    }

    @Override
    public synchronized List<Job> list(String instance, JobState state, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM jobs");
        List<Object> args = new ArrayList<>();
        if (instance != null) {
            sql.append(" WHERE instance = ?");
            args.add(instance);
        }
        if (state != null) {
            sql.append(args.isEmpty() ? " WHERE" : " AND").append(" state = ?");
            args.add(state.label());
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
        args.add(Math.max(1, limit));
        return query(sql.toString(), args, limit);
    }

    @Override
    public synchronized List<Job> unfinished(int limit) {
        return query("SELECT " + COLUMNS + " FROM jobs WHERE state IN ('queued','running','waiting')"
                + " ORDER BY created_at LIMIT ?", List.of(limit), limit);
    }

    @Override
    public synchronized int deleteCreatedBefore(Instant cutoff) {
        try (PreparedStatement p = db.prepareStatement("DELETE FROM jobs WHERE created_at < ?")) {
            p.setLong(1, cutoff.toEpochMilli());
            return p.executeUpdate();
        } catch (SQLException e) {
            throw new JobStoreException("could not delete old jobs in " + location + ": " + explain(e), e);
        }
    }

    @Override
    public synchronized long count() {
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM jobs")) {
            return r.next() ? r.getLong(1) : 0;
        } catch (SQLException e) {
            throw new JobStoreException("could not count jobs in " + location + ": " + explain(e), e);
        }
    }

    @Override
    public String location() {
        return location;
    }

    private List<Job> query(String sql, List<Object> args, int limit) {
        List<Job> out = new ArrayList<>();
        try (PreparedStatement p = db.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                p.setObject(i + 1, args.get(i));
            }
            try (ResultSet r = p.executeQuery()) {
                while (r.next() && out.size() < Math.max(1, limit)) {
                    out.add(row(r));
                }
            }
        } catch (SQLException e) {
            throw new JobStoreException("could not read jobs from " + location + ": " + explain(e), e);
        }
        return out;
    }

    private static Job row(ResultSet r) throws SQLException {
        long ended = r.getLong(11);
        boolean noEnd = r.wasNull();
        JobState state = JobState.parse(r.getString(8));
        return new Job(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5), r.getString(6),
                r.getString(7), state == null ? JobState.LOST : state, Instant.ofEpochMilli(r.getLong(9)),
                Instant.ofEpochMilli(r.getLong(10)), noEnd ? null : Instant.ofEpochMilli(ended), r.getLong(14),
                r.getString(12), JobCodec.read(r.getString(13)), true);
    }

    @Override
    public synchronized void close() {
        close(db);
    }
}
