package org.opencodemcp.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteJobStoreTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path tmp;

    @Test
    void aNewFileIsCreatedOwnerOnlyInWalModeAtTheLatestVersion() throws Exception {
        Path file = tmp.resolve("state").resolve("opencode-mcp").resolve("jobs.db");
        try (SqliteJobStore store = SqliteJobStore.open(file)) {
            store.insert(job("job_A", T0));
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            var r = s.executeQuery("PRAGMA journal_mode");
            r.next();
            assertThat(r.getString(1)).isEqualToIgnoringCase("wal");
            assertThat(JobSchema.version(c)).isEqualTo(JobSchema.VERSION);
        }
    }

    @Test
    void aVersionOneDatabaseIsMigratedKeepingItsJobs() throws Exception {
        Path file = tmp.resolve("old.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            for (String sql : JobSchema.MIGRATIONS.get(0)) {
                s.execute(sql);
            }
            s.execute("PRAGMA user_version = 1");
            s.execute("INSERT INTO jobs (id, instance, state, created_at, updated_at) VALUES ('job_OLD', 'laptop', 'running', 5, 5)");
        }
        try (SqliteJobStore store = SqliteJobStore.open(file)) {
            Job old = store.get("job_OLD").orElseThrow();
            assertThat(old.state()).isEqualTo(JobState.RUNNING);
            assertThat(old.ownerPid()).as("column added by migration 2").isZero();
            assertThat(store.unfinished(10)).extracting(Job::id).containsExactly("job_OLD");
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            assertThat(JobSchema.version(c)).isEqualTo(JobSchema.VERSION);
        }
        try (SqliteJobStore again = SqliteJobStore.open(file)) {
            assertThat(again.count()).as("migrations run once").isEqualTo(1);
        }
    }

    @Test
    void aDatabaseFromANewerReleaseIsRefusedByName() throws Exception {
        Path file = tmp.resolve("newer.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("PRAGMA user_version = 99");
        }
        assertThatThrownBy(() -> SqliteJobStore.open(file)).isInstanceOf(JobStoreException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("newer");
    }

    @Test
    void aCorruptOrReadOnlyFileIsAClearErrorNamingTheFileAndTheFix() throws Exception {
        Path corrupt = tmp.resolve("corrupt.db");
        Files.writeString(corrupt, "this is not a database at all, just text");
        Files.setPosixFilePermissions(corrupt, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> SqliteJobStore.open(corrupt)).isInstanceOf(JobStoreException.class)
                .hasMessageContaining(corrupt.toString()).hasMessageContaining("not an SQLite database")
                .hasMessageContaining("JOBS_DB=:memory:");

        Path readOnly = tmp.resolve("ro.db");
        SqliteJobStore.open(readOnly).close();
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r--------"));
        assertThatThrownBy(() -> SqliteJobStore.open(readOnly)).isInstanceOf(JobStoreException.class)
                .hasMessageContaining(readOnly.toString()).hasMessageContaining("read-only").hasMessageContaining("--jobs-db");

        Path damaged = tmp.resolve("damaged.db");
        try (SqliteJobStore s = SqliteJobStore.open(damaged)) {
            for (int i = 0; i < 200; i++) {
                s.insert(job("job_" + i, T0.plusSeconds(i)));
            }
        }
        byte[] bytes = Files.readAllBytes(damaged);
        for (int i = 4096; i < bytes.length; i++) {
            bytes[i] = (byte) 0x5A; // header intact, every page after the first garbage
        }
        Files.write(damaged, bytes);
        Files.deleteIfExists(tmp.resolve("damaged.db-wal"));
        assertThatThrownBy(() -> SqliteJobStore.open(damaged)).isInstanceOf(JobStoreException.class)
                .hasMessageContaining(damaged.toString()).hasMessageContaining("move it aside");
    }

    @Test
    void jobsRoundTripListNewestFirstFilterAndAge() {
        try (SqliteJobStore store = SqliteJobStore.open(null)) {
            for (int i = 0; i < 30; i++) {
                Job j = job(String.format("job_%02d", i), T0.plusSeconds(i));
                j = new Job(j.id(), i % 2 == 0 ? "even" : "odd", j.sessionId(), j.messageId(), j.prompt(), j.agent(),
                        j.model(), j.state(), j.created(), j.updated(), j.ended(), j.ownerPid(), j.waitingOn(), j.result(), true);
                store.insert(j);
            }
            Job done = store.get("job_29").orElseThrow().to(JobState.RUNNING, T0.plusSeconds(40)).withMessage("msg_1")
                    .ended(JobState.COMPLETED, new JobResult("the answer", false,
                            List.of(new JobResult.ToolUse("bash", "completed", "Echo")),
                            new JobResult.Tokens(10, 20, 0, 1, 2), 0.5,
                            List.of(new JobResult.FileChange("a.txt", 3, 1)), null), T0.plusSeconds(41));
            store.update(done);
            Job back = store.get("job_29").orElseThrow();
            assertThat(back).isEqualTo(done);
            assertThat(store.list(null, null, 3)).extracting(Job::id).containsExactly("job_29", "job_28", "job_27");
            assertThat(store.list("even", null, 2)).extracting(Job::id).containsExactly("job_28", "job_26");
            assertThat(store.list(null, JobState.COMPLETED, 20)).extracting(Job::id).containsExactly("job_29");
            assertThat(store.unfinished(100)).hasSize(29);
            assertThat(store.deleteCreatedBefore(T0.plusSeconds(10))).isEqualTo(10);
            assertThat(store.count()).isEqualTo(20);
            assertThat(store.get("job_nope")).isEmpty();
        }
    }

    @Test
    void withoutTextKeepsIdsStatesAndFiguresOnly() {
        Job j = job("job_T", T0).to(JobState.RUNNING, T0).ended(JobState.FAILED, new JobResult("secret answer", false,
                List.of(new JobResult.ToolUse("bash", "error", "cat /etc/secret")), new JobResult.Tokens(1, 2, 3, 4, 5), 0.1,
                List.of(new JobResult.FileChange("secret/path.txt", 7, 8)), "boom: secret"), T0).withoutText();
        assertThat(j.prompt()).isNull();
        assertThat(j.result().text()).isNull();
        assertThat(j.result().tools()).containsExactly(new JobResult.ToolUse("bash", "error", null));
        assertThat(j.result().files()).containsExactly(new JobResult.FileChange(null, 7, 8));
        assertThat(j.result().tokens().output()).isEqualTo(2);
        assertThat(JobCodec.write(j.result())).doesNotContain("secret");
    }

    private static Job job(String id, Instant at) {
        return Job.queued(id, "laptop", "ses_1", "prompt " + id, "build", "fake/model", at, 42);
    }
}
