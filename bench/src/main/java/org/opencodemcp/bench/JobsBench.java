package org.opencodemcp.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * The jobs ledger's rows: the cost a send pays to record its job, {@code list_jobs} over stdio with
 * 100,000 stored jobs, and the database size per 10,000 jobs. The server makes the schema (its own
 * migrations); the bench fills it with plain SQL in the server's column layout.
 */
final class JobsBench {
    static final int STORED = 100_000;
    static final int CREATES = 2_000;
    static final int LIST_CALLS = 50;
    static final String INSERT = "INSERT INTO jobs (id, instance, session_id, message_id, prompt, agent, model, state,"
            + " created_at, updated_at, ended_at, waiting_on, result, owner_pid) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
    /** A typical ended job: a 200-character prompt preview, a 2 KB answer, three tools, two files. */
    static final String PROMPT = "Refactor the session matcher so ambiguous titles list their candidates; ".repeat(3).substring(0, 200);
    static final String RESULT = "{\"text\":\"" + "The matcher now lists every candidate. ".repeat(52) + "\",\"textCut\":false,"
            + "\"tools\":[{\"tool\":\"read\",\"status\":\"completed\",\"title\":\"SessionMatcher.java\"},"
            + "{\"tool\":\"edit\",\"status\":\"completed\",\"title\":\"SessionMatcher.java\"},"
            + "{\"tool\":\"bash\",\"status\":\"completed\",\"title\":\"Run the tests\"}],"
            + "\"tokens\":{\"input\":12345,\"output\":678,\"reasoning\":0,\"cacheRead\":9000,\"cacheWrite\":100},\"cost\":0.0123,"
            + "\"files\":[{\"path\":\"server/src/main/java/SessionMatcher.java\",\"additions\":12,\"deletions\":3},"
            + "{\"path\":\"server/src/test/java/SessionMatcherTest.java\",\"additions\":30,\"deletions\":0}],\"error\":null}";

    private JobsBench() {}

    static void run(Path launcher, Path work, Path log, List<Bench.Row> rows) throws Exception {
        Path registry = Files.createDirectories(work.resolve("jobs-registry"));
        Path db = work.resolve("jobs-bench").resolve("jobs.db");
        Map<String, String> env = Map.of("JOBS_DB", db.toString());
        Bench.progress("jobs: the server creates " + db);
        try (StdioSession s = StdioSession.start(launcher, registry, log, env)) {
            s.initialize();
            s.callTool("list_jobs", 30); // waits for the store: the schema exists after it
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA journal_mode = WAL");
                st.execute("PRAGMA synchronous = NORMAL");
            }
            rows.add(creation(c));
            try (Statement st = c.createStatement()) {
                // left running they would be adopted and followed by the next server: measure list_jobs alone
                st.execute("DELETE FROM jobs WHERE id LIKE 'job_CREATE%'");
            }
            Bench.progress("jobs: storing " + STORED + " jobs");
            c.setAutoCommit(false);
            long t0 = System.currentTimeMillis() - STORED * 1000L;
            try (PreparedStatement p = c.prepareStatement(INSERT)) {
                for (int i = 0; i < STORED; i++) {
                    bind(p, String.format("job_BENCH%021d", i), "bench-" + (i % 50), t0 + i * 1000L, "completed", RESULT);
                    p.addBatch();
                    if (i % 5_000 == 4_999) {
                        p.executeBatch();
                    }
                }
                p.executeBatch();
            }
            c.commit();
            c.setAutoCommit(true);
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
        }
        double mib = Files.size(db) / 1048576.0 * 10_000 / STORED;
        rows.add(new Bench.Row("jobsDbSize", "jobs database size per 10,000 jobs (200-char prompt, 2 KB answer, 3 tools, 2 files)",
                Bench.fmt(mib) + " MiB", "", null, Map.of("mibPer10000", Bench.round(mib))));
        try (StdioSession s = StdioSession.start(launcher, registry, log, env)) {
            s.initialize();
            for (int i = 0; i < 50; i++) {
                s.callTool("list_jobs", 30); // warm-up (JIT, page cache); the first also waits for the store
            }
            rows.add(Bench.row("listJobs100k", "list_jobs over stdio, 100,000 stored jobs, 20 newest (median of 50)",
                    latency(s, Map.of(), null), "median", 5, "ms"));
            rows.add(Bench.row("listJobs100kFiltered", "list_jobs {instance, state} over stdio, 100,000 stored jobs (median of 50)",
                    latency(s, Map.of("instance", "bench-7", "state", "completed"), "bench-7"), "median", 5, "ms"));
        }
    }

    /** What JobLedger.open + posted write per send: one insert (queued) and one update (running), each its own commit. */
    private static Bench.Row creation(Connection c) throws SQLException {
        double[] t = new double[CREATES];
        long now = System.currentTimeMillis();
        for (int i = 0; i < CREATES + 200; i++) {
            String id = String.format("job_CREATE%020d", i);
            long t0 = System.nanoTime();
            try (PreparedStatement p = c.prepareStatement(INSERT)) {
                bind(p, id, "bench-create", now, "queued", null);
                p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement("UPDATE jobs SET state = 'running', message_id = ?, updated_at = ? WHERE id = ?")) {
                p.setString(1, "msg_bench");
                p.setLong(2, now + 1);
                p.setString(3, id);
                p.executeUpdate();
            }
            if (i >= 200) { // the first 200 warm up
                t[i - 200] = (System.nanoTime() - t0) / 1e6;
            }
        }
        return Bench.row("jobCreate", "job recorded per send_message: insert + update, WAL, synchronous=NORMAL (median of 2,000)",
                Bench.Stats.of(t), "median", 2, "ms");
    }

    private static void bind(PreparedStatement p, String id, String instance, long at, String state, String result)
            throws SQLException {
        p.setString(1, id);
        p.setString(2, instance);
        p.setString(3, "ses_bench0000000000000000000");
        p.setString(4, "msg_bench0000000000000000000");
        p.setString(5, PROMPT);
        p.setString(6, "build");
        p.setString(7, "fake/fake-model");
        p.setString(8, state);
        p.setLong(9, at);
        p.setLong(10, at);
        if (result == null) {
            p.setNull(11, java.sql.Types.INTEGER);
        } else {
            p.setLong(11, at + 30_000);
        }
        p.setString(12, null);
        p.setString(13, result);
        p.setLong(14, 0);
    }

    private static Bench.Stats latency(StdioSession s, Map<String, Object> args, String instance) {
        double[] t = new double[LIST_CALLS];
        for (int i = 0; i < t.length; i++) {
            StdioSession.Reply r = s.callTool("list_jobs", args, 30);
            t[i] = r.millis();
            if (i == 0) {
                listed(r, instance);
            }
        }
        return Bench.Stats.of(t);
    }

    /** A fast error is no figure: the answer must list 20 stored jobs (of {@code instance} when given). */
    private static void listed(StdioSession.Reply r, String instance) {
        JsonNode result = r.json().path("result");
        JsonNode jobs = result.path("structuredContent").path("jobs");
        boolean ok = !result.path("isError").asBoolean(false) && jobs.size() == 20;
        for (JsonNode j : jobs) {
            ok &= j.path("job").asText().startsWith("job_BENCH") && (instance == null || instance.equals(j.path("instance").asText()));
        }
        if (!ok) {
            throw new IllegalStateException("list_jobs did not list 20 stored jobs: " + r.line());
        }
    }
}
