package org.opencodemcp.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.opencodemcp.server.support.McpStdioServer;
import org.opencodemcp.server.support.Registrations;
import org.opencodemcp.testkit.Closer;
import org.opencodemcp.testkit.Eventually;
import org.opencodemcp.testkit.FakeLlm;
import org.opencodemcp.testkit.FakeReply;
import org.opencodemcp.testkit.OpenCodeServer;
import org.opencodemcp.testkit.TempDirs;

/**
 * The jobs ledger end to end: the packaged jar (real MCP Java SDK client) drives a real {@code opencode serve}
 * whose LLM is the fake, asking before {@code bash}. Every send is a job that get_job reads back, also after
 * the server was killed and started again.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class JobsIT {
    static final String INSTANCE = "testhost-jobs";
    static final int FLEET = 5;
    static final int SENDS = 50;
    private static Path registry;
    private static FakeLlm llm;
    private static OpenCodeServer opencode;
    private static McpStdioServer mcp;

    @BeforeAll
    static void start() {
        registry = TempDirs.create("registry-");
        llm = FakeLlm.start();
        llm.on("JOB-WRITE", FakeReply.toolCall("write", "{\"filePath\":\"job-file.txt\",\"content\":\"one\\ntwo\\n\"}",
                FakeReply.text("Wrote the job file.")));
        llm.on("JOB-ASK", FakeReply.toolCall("bash", "{\"command\":\"echo job-permitted\",\"description\":\"Echo\"}",
                FakeReply.text("Bash ran for the job.")));
        llm.on("JOB-SLOW", FakeReply.slowText(Duration.ofMillis(800), "s0 ", "s1 ", "s2 ", "s3 ", "s4 ", "s5 ", "s6 ", "s7 ", "slow-end"));
        for (int i = 0; i < SENDS; i++) {
            llm.on(String.format("FLEET-%02d", i), FakeReply.text(String.format("reply-%02d", i)));
        }
        opencode = OpenCodeServer.builder().llm(llm).permission("{\"bash\":\"ask\"}").start();
        Registrations.write(registry, INSTANCE, opencode.port(), opencode.directory().toString());
        mcp = McpStdioServer.start(registry);
        awaitOnline(mcp, INSTANCE);
    }

    @AfterAll
    static void stop() {
        Closer.closeAll(mcp, opencode, llm, () -> TempDirs.deleteRecursively(registry));
    }

    @Test
    void asyncSendThenGetJobWaitsForTextTokensAndFilesChanged() {
        McpSchema.CallToolResult sent = ok(mcp.call("send_message", args("session", "new", "message", "JOB-WRITE please", "async", true)));
        String job = (String) McpStdioServer.structured(sent).get("job");
        assertThat(job).matches("job_[0-9A-Z]{26}");
        assertThat(McpStdioServer.text(sent)).contains(job).contains("get_job");

        McpSchema.CallToolResult got = ok(mcp.call("get_job", Map.of("job", job, "wait_seconds", 60)));
        Map<String, Object> s = McpStdioServer.structured(got);
        assertThat(s).containsEntry("job", job).containsEntry("state", "completed").containsEntry("text", "Wrote the job file.")
                .containsEntry("instance", INSTANCE).containsEntry("recorded", true);
        assertThat(s.get("prompt")).isEqualTo("JOB-WRITE please");
        assertThat(s.get("tokens")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP).containsKey("output");
        assertThat(s.get("files")).asList().anySatisfy(f -> assertThat(map(f)).containsEntry("path", "job-file.txt")
                .containsEntry("additions", 2));
        assertThat(s.get("tools")).asList().anySatisfy(t -> assertThat(map(t)).containsEntry("tool", "write")
                .containsEntry("status", "completed"));
        assertThat(McpStdioServer.text(got)).contains("Wrote the job file.").contains("job-file.txt");

        McpSchema.CallToolResult listed = ok(mcp.call("list_jobs", Map.of("instance", INSTANCE)));
        assertThat(McpStdioServer.text(listed)).contains(job).contains("completed");
    }

    @Test
    void aPermissionMidTurnIsWaitingWithTheItemThenCompletedAfterTheReply() {
        McpSchema.CallToolResult sent = ok(mcp.call("send_message", args("session", "new", "message", "JOB-ASK now", "wait_seconds", 40)));
        Map<String, Object> s = McpStdioServer.structured(sent);
        assertThat(s).containsEntry("state", "waiting_permission");
        String job = (String) s.get("job");
        String permission = (String) ((Map<?, ?>) s.get("permission")).get("id");

        Eventually.await(Duration.ofSeconds(10), () -> {
            Map<String, Object> j = McpStdioServer.structured(ok(mcp.call("get_job", Map.of("job", job))));
            assertThat(j).containsEntry("state", "waiting");
            assertThat(j.get("waitingOn").toString()).contains(permission).contains("bash");
        });
        ok(mcp.call("reply_permission", args("permission_id", permission, "reply", "once")));
        Map<String, Object> done = McpStdioServer.structured(ok(mcp.call("get_job", Map.of("job", job, "wait_seconds", 60))));
        assertThat(done).containsEntry("state", "completed").containsEntry("text", "Bash ran for the job.");
        assertThat(done.get("tools")).asList().anySatisfy(t -> assertThat(map(t)).containsEntry("tool", "bash")
                .containsEntry("status", "completed"));
    }

    @Test
    void aWrongIdListsTheLatestJobs() {
        String job = (String) McpStdioServer.structured(ok(mcp.call("send_message",
                args("session", "new", "message", "FLEET-00 for the wrong id test", "async", true)))).get("job");
        McpSchema.CallToolResult wrong = mcp.call("get_job", Map.of("job", "job_01NOSUCHJOB0000000000000000"));
        assertThat(wrong.isError()).isTrue();
        assertThat(wrong.structuredContent()).isNull();
        assertThat(McpStdioServer.text(wrong)).contains("No job").contains("The latest jobs").contains(job).contains("get_job");
    }

    @Test
    void aSlowTurnOutlivesAKilledServerAndIsReconciledAfterTheRestart() throws Exception {
        Path db = TempDirs.create("jobs-restart-").resolve("jobs.db");
        Map<String, String> env = Map.of("JOBS_DB", db.toString());
        McpStdioServer first = McpStdioServer.start(registry, env);
        String job;
        try {
            awaitOnline(first, INSTANCE);
            McpSchema.CallToolResult sent = ok(first.call("send_message", args("session", "new", "message", "JOB-SLOW go", "wait_seconds", 1)));
            assertThat(McpStdioServer.structured(sent)).containsEntry("state", "running");
            job = (String) McpStdioServer.structured(sent).get("job");
            assertThat(McpStdioServer.text(sent)).contains(job);
            List<ProcessHandle> server = McpStdioServer.processesUsing(db);
            assertThat(server).hasSize(1);
            server.get(0).destroyForcibly(); // kill -9
            server.get(0).onExit().get(10, TimeUnit.SECONDS);
        } finally {
            Closer.closeAll(first);
        }
        try (McpStdioServer second = McpStdioServer.start(registry, env)) {
            Map<String, Object> j = McpStdioServer.structured(ok(second.call("get_job", Map.of("job", job, "wait_seconds", 60))));
            assertThat(j).containsEntry("state", "completed");
            assertThat((String) j.get("text")).endsWith("slow-end");
        }
    }

    @Test
    void anInstanceKilledMidTurnIsLostAfterTheGrace() {
        try (OpenCodeServer doomed = OpenCodeServer.builder().llm(llm).start();
                McpStdioServer short_ = McpStdioServer.start(registry, Map.of("PRUNE_AFTER_MS", "3000"))) {
            Registrations.write(registry, "testhost-doomed", doomed.port(), doomed.directory().toString());
            awaitOnline(short_, "testhost-doomed");
            String job = (String) McpStdioServer.structured(ok(short_.call("send_message", Map.of("instance", "testhost-doomed",
                    "session", "new", "message", "JOB-SLOW then die", "async", true)))).get("job");
            doomed.killHard();
            Map<String, Object> j = McpStdioServer.structured(ok(short_.call("get_job", Map.of("job", job, "wait_seconds", 60))));
            assertThat(j).containsEntry("state", "lost");
            assertThat((String) j.get("error")).contains("testhost-doomed").contains("PRUNE_AFTER_MS");
        }
    }

    @Test
    void fiftyConcurrentAsyncSendsAcrossFiveInstancesAreFiftyJobsNoneMixedUp() throws Exception {
        // five registrations, one opencode behind them: five instances to the server, a bearable load for the machine
        for (int i = 0; i < FLEET; i++) {
            Registrations.write(registry, "testhost-fleet-" + i, opencode.port(), opencode.directory().toString());
        }
        for (int i = 0; i < FLEET; i++) {
            awaitOnline(mcp, "testhost-fleet-" + i);
        }
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<CompletableFuture<String>> jobs = new ArrayList<>();
            for (int i = 0; i < SENDS; i++) {
                int n = i;
                jobs.add(CompletableFuture.supplyAsync(() -> (String) McpStdioServer.structured(ok(mcp.call("send_message",
                        Map.of("instance", "testhost-fleet-" + (n % FLEET), "session", "new",
                                "message", String.format("FLEET-%02d", n), "async", true)))).get("job"), pool));
            }
            for (int i = 0; i < SENDS; i++) {
                String job = jobs.get(i).get(120, TimeUnit.SECONDS);
                Map<String, Object> j = McpStdioServer.structured(ok(mcp.call("get_job", Map.of("job", job, "wait_seconds", 90))));
                assertThat(j).as(job).containsEntry("state", "completed")
                        .containsEntry("instance", "testhost-fleet-" + (i % FLEET))
                        .containsEntry("prompt", String.format("FLEET-%02d", i))
                        .containsEntry("text", String.format("reply-%02d", i));
            }
            assertThat(jobs.stream().map(CompletableFuture::join).distinct()).hasSize(SENDS);
        } finally {
            pool.shutdownNow();
        }
    }

    static void awaitOnline(McpStdioServer server, String instance) {
        Eventually.await(Duration.ofSeconds(20), () -> assertThat(McpStdioServer.structured(server.call("list_instances", Map.of()))
                .get("instances")).asList().anySatisfy(i -> assertThat(map(i)).containsEntry("name", instance)
                        .containsEntry("state", "online")));
    }

    static McpSchema.CallToolResult ok(McpSchema.CallToolResult r) {
        assertThat(r.isError()).as(() -> McpStdioServer.text(r)).isFalse();
        return r;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    static Map<String, Object> args(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        m.put("instance", INSTANCE);
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
