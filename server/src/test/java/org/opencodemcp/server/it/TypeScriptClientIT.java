package org.opencodemcp.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opencodemcp.server.support.McpStdioServer;
import org.opencodemcp.server.support.NodeMcpClient;
import org.opencodemcp.server.support.NodeMcpClient.Answer;
import org.opencodemcp.server.support.Registrations;
import org.opencodemcp.testkit.Closer;
import org.opencodemcp.testkit.Eventually;
import org.opencodemcp.testkit.FakeLlm;
import org.opencodemcp.testkit.FakeReply;
import org.opencodemcp.testkit.OpenCodeServer;
import org.opencodemcp.testkit.Ports;
import org.opencodemcp.testkit.ServerEnvironment;
import org.opencodemcp.testkit.TempDirs;

/**
 * Client conformance with the TypeScript SDK client (the one in the MCP Inspector and OpenCode), which
 * unlike the Java SDK client validates structured content even on error results: over stdio (it spawns
 * the packaged jar) and over Streamable HTTP (bearer token), every tool once with good arguments (a real
 * opencode with the fake LLM behind them) and once with each kind of bad argument, asserting that the
 * exact message reaches the caller. One opencode, one HTTP server and two clients serve the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(240)
class TypeScriptClientIT {
    private static final String TARGET = "tsclient-target";
    /** Registered at a port nobody listens on: offline, but its name makes "tsclient" ambiguous. */
    private static final String TWIN = "tsclient-twin";
    /** The server runs with TOOLS=all: the full tools and the simple profile's three. */
    private static final List<String> TOOLS = List.of("list_instances", "refresh_instances", "list_sessions", "get_session",
            "create_session", "send_message", "get_status", "abort_session", "reply_permission", "reply_question", "fleet_status", "get_diff", "list_agents",
            "get_job", "list_jobs",
            "instances", "send", "read");

    private Path registry;
    private FakeLlm llm;
    private OpenCodeServer opencode;
    private McpHttpServer http;
    private final Map<String, NodeMcpClient> clients = new LinkedHashMap<>();

    @BeforeAll
    void start() {
        registry = TempDirs.create("registry-ts-");
        llm = FakeLlm.start();
        llm.on("SAY-HELLO", FakeReply.text("Hello ", "from ", "the ", "fake ", "LLM."));
        llm.on("RUN-BASH", FakeReply.toolCall("bash", "{\"command\":\"echo permitted\",\"description\":\"Echo\"}",
                FakeReply.text("Bash ran after permission.")));
        opencode = OpenCodeServer.builder().llm(llm).permission("{\"bash\":\"ask\"}").start();
        Registrations.write(registry, TARGET, opencode.port(), opencode.directory().toString());
        Registrations.write(registry, TWIN, Ports.free(), opencode.directory().toString());
        http = McpHttpServer.start(registry, Map.of("TOOLS", "all"));
        Map<String, String> stdioEnv = ServerEnvironment.of(registry); // its own jobs.db, never the account's
        stdioEnv.put("TOOLS", "all");
        clients.put("stdio", NodeMcpClient.stdio(List.of(McpStdioServer.javaBinary(), "-jar", McpStdioServer.jar().toString()), stdioEnv));
        clients.put("http", NodeMcpClient.http("http://127.0.0.1:" + http.port() + http.path(), McpHttpServer.TOKEN));
        for (NodeMcpClient c : clients.values()) {
            Eventually.await(Duration.ofSeconds(10), () -> assertThat(c.call("list_instances", Map.of()).text())
                    .containsPattern(TARGET + " \\|[^\\n]*\\| online"));
        }
    }

    @AfterAll
    void stop() {
        List<AutoCloseable> all = new ArrayList<>(clients.values());
        all.add(http);
        all.add(opencode);
        all.add(llm);
        all.add(() -> TempDirs.deleteRecursively(registry));
        Closer.closeAll(all.toArray(AutoCloseable[]::new));
    }

    Stream<String> transports() {
        return Stream.of("stdio", "http");
    }

    @ParameterizedTest
    @MethodSource("transports")
    void everyToolWithGoodArgumentsIsAcceptedByTheClient(String transport) {
        NodeMcpClient c = clients.get(transport);
        JsonNode tools = c.listTools();
        List<String> names = new ArrayList<>();
        tools.forEach(t -> names.add(t.path("name").asText()));
        assertThat(names).containsExactlyInAnyOrderElementsOf(TOOLS);

        // every call below returned a result the client accepted, structured content checked against the output schema
        assertThat(ok(c.call("list_instances", Map.of())).structured().path("instances").toString()).contains(TARGET).contains(TWIN);
        assertThat(ok(c.call("refresh_instances", Map.of())).text()).contains(TARGET);
        assertThat(ok(c.call("list_agents", Map.of("instance", TARGET))).text()).contains("build");
        Answer created = ok(c.call("create_session", Map.of("instance", TARGET, "title", "ts " + transport, "agent", "build",
                "model", "fake/fake-model")));
        String session = created.structured().path("session").path("id").asText();
        assertThat(session).startsWith("ses_");
        Answer sent = ok(c.call("send_message", Map.of("instance", TARGET, "session", session, "message", "please SAY-HELLO")));
        assertThat(sent.structured().path("text").asText()).isEqualTo("Hello from the fake LLM.");
        String job = sent.structured().path("job").asText();
        Answer got = ok(c.call("get_job", Map.of("job", job, "wait_seconds", 30)));
        assertThat(got.structured().path("state").asText()).isEqualTo("completed");
        assertThat(got.text()).contains("Hello from the fake LLM.");
        assertThat(ok(c.call("list_jobs", Map.of("instance", TARGET, "state", "completed"))).text()).contains(job);
        assertThat(ok(c.call("list_sessions", Map.of("instance", TARGET))).text()).contains("ts " + transport);
        assertThat(ok(c.call("get_session", Map.of("instance", TARGET, "session", session))).text()).contains("Hello from the fake LLM.");
        ok(c.call("get_diff", Map.of("instance", TARGET, "session", session)));
        ok(c.call("get_status", Map.of("instance", TARGET)));
        assertThat(ok(c.call("abort_session", Map.of("instance", TARGET, "session", session))).structured().path("sessionId").asText())
                .isEqualTo(session);
        assertThat(ok(c.call("list_instances", Map.of("query", "target", "limit", 1))).structured().path("matched").asInt()).isEqualTo(1);
        assertThat(ok(c.call("list_sessions", Map.of("instance", TARGET, "limit", 1))).structured().path("sessions").size()).isEqualTo(1);

        // the simple profile's tools, on the same server
        assertThat(ok(c.call("instances", Map.of())).text()).contains("**" + TARGET + "**").contains("online");
        Answer simpleSent = ok(c.call("send", Map.of("instance", TARGET, "message", "simple SAY-HELLO")));
        assertThat(simpleSent.structured().path("text").asText()).isEqualTo("Hello from the fake LLM.");
        assertThat(simpleSent.structured().path("job").asText()).as("send is a job too").startsWith("job_");
        assertThat(ok(c.call("read", Map.of("instance", TARGET))).text()).contains("simple SAY-HELLO");
        assertThat(ok(c.call("send", Map.of("instance", TARGET, "abort", true))).structured().path("state").asText())
                .isEqualTo("nothing_to_abort");

        Answer asks = ok(c.call("send_message", Map.of("instance", TARGET, "session", "new", "message", "RUN-BASH " + transport)));
        assertThat(asks.structured().path("state").asText()).isEqualTo("waiting_permission");
        String permission = asks.structured().path("permission").path("id").asText();
        String asking = asks.structured().path("sessionId").asText();
        Answer fleet = ok(c.call("fleet_status", Map.of()));
        assertThat(fleet.structured().path("items").toString()).contains(permission).contains("reply_permission");
        assertThat(fleet.text()).contains("Unavailable:").contains(TWIN);
        ok(c.call("fleet_status", Map.of("instance", TARGET, "include_idle", true)));
        Eventually.await(Duration.ofSeconds(10), () -> assertThat(ok(c.call("get_job",
                Map.of("job", asks.structured().path("job").asText()))).structured().path("state").asText()).isEqualTo("waiting"));
        assertThat(ok(c.call("reply_permission", Map.of("instance", TARGET, "permission_id", permission, "reply", "once"))).text())
                .contains("Replied **once**");
        Eventually.await(Duration.ofSeconds(20), () -> assertThat(ok(c.call("get_session", Map.of("instance", TARGET, "session", asking)))
                .text()).contains("Bash ran after permission."));
    }

    @ParameterizedTest
    @MethodSource("transports")
    void everyKindOfBadArgumentReachesTheCallerWordForWord(String transport) {
        NodeMcpClient c = clients.get(transport);
        c.listTools();
        String session = ok(c.call("create_session", Map.of("instance", TARGET, "title", "bad args " + transport)))
                .structured().path("session").path("id").asText();
        List<String> instanceTools = TOOLS.stream().filter(t -> !t.endsWith("instances") && !t.endsWith("_job")
                && !t.endsWith("_jobs")).toList();
        for (String tool : instanceTools) {
            Map<String, Object> good = goodArguments(tool, session);
            assertError(c.call(tool, with(good, "instance", "nope")), tool,
                    "Error: No instance matches \"nope\". Available: " + TARGET + ", " + TWIN);
            assertError(c.call(tool, with(good, "instance", "tsclient")), tool,
                    "Error: \"tsclient\" matches several instances: " + TARGET + ", " + TWIN + ". Use the full name.");
            for (String required : List.copyOf(good.keySet())) {
                if (tool.equals("send") && required.equals("message")) {
                    assertError(c.call(tool, Map.of("instance", TARGET)), tool, "Error: `message` is required unless `abort` is true.");
                    continue; // optional in the schema (abort needs none): the tool itself says it is missing
                }
                if (tool.equals("fleet_status")) {
                    continue; // every argument of fleet_status is optional
                }
                Map<String, Object> missing = new LinkedHashMap<>(good);
                missing.remove(required);
                // the SDK checks arguments against the input schema first; its message is an error result too
                assertError(c.call(tool, missing), tool, "Tool (" + tool + ") input validation failed: Validation failed: "
                        + "JSON schema validation errors: [: required property '" + required + "' not found]");
            }
        }
        for (String tool : List.of("get_session", "abort_session", "get_diff", "send_message")) {
            Answer unknown = c.call(tool, with(goodArguments(tool, session), "session", "no-such-session"));
            assertErrorStartsWith(unknown, tool, "Error: No session on " + TARGET
                    + " has the id, an id starting with, or a title containing \"no-such-session\". Sessions on " + TARGET);
            assertThat(unknown.text()).contains("bad args " + transport).endsWith(". Pass one of these ids (or see `list_sessions`).");
        }
        for (String tool : List.of("create_session", "send_message")) {
            assertErrorStartsWith(c.call(tool, with(goodArguments(tool, session), "agent", "nope-agent")), tool,
                    "Error: Unknown agent \"nope-agent\". Agents that can take a prompt: ");
            // the instance's own models first, then OpenCode's built-in catalogue
            assertErrorStartsWith(c.call(tool, with(goodArguments(tool, session), "model", "nope/x")), tool,
                    "Error: Unknown model \"nope/x\"; write it as provider/model. Configured on this instance: fake/fake-model.");
        }
        assertErrorStartsWith(c.call("reply_permission", Map.of("instance", TARGET, "permission_id", "per_nope", "reply", "once")),
                "reply_permission", "Error: No pending permission request `per_nope` on " + TARGET);
        assertErrorStartsWith(c.call("reply_permission", Map.of("instance", TARGET, "permission_id", "per_nope", "reply", "sometimes")),
                "reply_permission", "Tool (reply_permission) input validation failed: ");

        assertErrorStartsWith(c.call("reply_question", Map.of("instance", TARGET, "question_id", "que_nope", "answers", List.of(List.of("x")))),
                "reply_question", "Error: No pending question `que_nope` on " + TARGET);
        assertErrorStartsWith(c.call("reply_question", Map.of("instance", TARGET, "question_id", "que_nope")),
                "reply_question", "Error: Give either `answers` (one list of labels per question) or `reject: true`, not neither.");
        assertErrorStartsWith(c.call("get_job", Map.of("job", "nope")), "get_job",
                "Error: No job `nope` (job ids look like job_01J...) in ");
        assertError(c.call("get_job", Map.of()), "get_job", "Tool (get_job) input validation failed: Validation failed: "
                + "JSON schema validation errors: [: required property 'job' not found]");
        assertErrorStartsWith(c.call("list_jobs", Map.of("state", "sometimes")), "list_jobs",
                "Tool (list_jobs) input validation failed: ");

        Answer unknownTool = c.call("tsclient_nope", Map.of());
        assertThat(unknownTool.code()).isEqualTo(-32602);
        assertThat(unknownTool.thrown()).isEqualTo("MCP error -32602: Unknown tool: tsclient_nope");
    }

    /** The required arguments of {@code tool}, with values that work. */
    private static Map<String, Object> goodArguments(String tool, String session) {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("instance", TARGET);
        switch (tool) {
            case "get_session", "abort_session", "get_diff" -> args.put("session", session);
            case "send_message", "send" -> args.put("message", "SAY-HELLO"); // session is optional: the most recent one
            case "reply_question" -> args.put("question_id", "que_nope");
            case "reply_permission" -> {
                args.put("permission_id", "per_nope");
                args.put("reply", "once");
            }
            default -> { }
        }
        return args;
    }

    private static Map<String, Object> with(Map<String, Object> args, String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(args);
        copy.put(key, value);
        return copy;
    }

    private static Answer ok(Answer a) {
        assertThat(a.thrown()).as("the client threw").isNull();
        assertThat(a.isError()).as(a.text()).isFalse();
        return a;
    }

    private static void assertError(Answer a, String tool, String exact) {
        assertThat(a.thrown()).as(tool + ": the client threw instead of handing over the error result").isNull();
        assertThat(a.isError()).as(tool).isTrue();
        assertThat(a.structured()).as(tool).isNull();
        assertThat(a.text()).as(tool).isEqualTo(exact);
    }

    private static void assertErrorStartsWith(Answer a, String tool, String prefix) {
        assertThat(a.thrown()).as(tool + ": the client threw instead of handing over the error result").isNull();
        assertThat(a.isError()).as(tool).isTrue();
        assertThat(a.structured()).as(tool).isNull();
        assertThat(a.text()).as(tool).startsWith(prefix);
    }
}
