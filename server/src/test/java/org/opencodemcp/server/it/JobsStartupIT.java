package org.opencodemcp.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.opencodemcp.server.support.McpStdioServer;
import org.opencodemcp.testkit.ServerEnvironment;
import org.opencodemcp.testkit.TempDirs;

/** A jobs database that cannot be used stops the packaged server at start with the file and the fix, exit code 2. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JobsStartupIT {
    private final Path dir = TempDirs.create("jobs-startup-");

    @AfterEach
    void clean() {
        TempDirs.deleteRecursively(dir);
    }

    @Test
    void aCorruptDatabaseIsAClearStartupError() throws Exception {
        Path db = dir.resolve("jobs.db");
        Files.writeString(db, "garbage, not SQLite at all; a half-copied file or another program's");
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-------"));
        String err = failedStart(db, false);
        assertThat(err).contains(db.toString()).contains("not an SQLite database").contains("JOBS_DB=:memory:");
    }

    @Test
    void aReadOnlyDatabaseIsAClearStartupError() throws Exception {
        Path db = dir.resolve("ro.db");
        Files.write(db, "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII));
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("r--------"));
        String err = failedStart(db, false);
        assertThat(err).contains(db.toString()).contains("read-only").contains("--jobs-db");
    }

    @Test
    void aDamagedDatabaseWithAGoodHeaderStopsTheServerSoonAfterStart() throws Exception {
        Path db = dir.resolve("damaged.db");
        byte[] bytes = new byte[8192];
        System.arraycopy("SQLite format 3\0".getBytes(StandardCharsets.US_ASCII), 0, bytes, 0, 16);
        for (int i = 16; i < bytes.length; i++) {
            bytes[i] = (byte) 0x5A;
        }
        Files.write(db, bytes);
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-------"));
        String err = failedStart(db, true);
        assertThat(err).contains(db.toString()).contains("move it aside");
    }

    @Test
    void aDatabaseLockedByAnotherProcessIsAClearStartupError() throws Exception {
        Path db = dir.resolve("locked.db");
        // this JVM is the other process: a connection in exclusive locking mode keeps its lock after a write
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = other.createStatement()) {
            s.execute("PRAGMA journal_mode = WAL");
            s.execute("PRAGMA locking_mode = EXCLUSIVE");
            s.execute("CREATE TABLE held (x)");
            s.execute("INSERT INTO held VALUES (1)");
            Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-------"));
            String err = failedStart(db, true);
            assertThat(err).contains(db.toString()).contains("locked by another process").contains("fuser " + db)
                    .contains("JOBS_DB=:memory:");
        }
    }

    /**
     * @param answered whether the initialize sent at once may be answered: only what SQLite itself finds
     *        (after serving began) may come after an answer; the file's own checks come before any
     */
    private String failedStart(Path db, boolean answered) throws IOException, InterruptedException {
        Path registry = Files.createDirectories(dir.resolve("registry"));
        Files.setPosixFilePermissions(registry, PosixFilePermissions.fromString("rwx------"));
        ProcessBuilder pb = new ProcessBuilder(List.of(McpStdioServer.javaBinary(), "-jar", McpStdioServer.jar().toString()));
        ServerEnvironment.apply(pb, registry);
        pb.environment().put("JOBS_DB", db.toString()); // the database under test
        Process p = pb.start(); // stdin stays open: only the jobs check may end it
        try {
            p.getOutputStream().write(("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                    + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"it\",\"version\":\"1\"}}}\n").getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().flush();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the server stops by itself").isTrue();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(err).isEqualTo(2);
            if (!answered) {
                assertThat(out).as("no answer from a server that cannot serve").isEmpty();
            }
            return err;
        } finally {
            p.destroyForcibly();
        }
    }
}
