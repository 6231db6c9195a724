package org.opencodemcp.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.opencodemcp.server.support.McpStdioServer;
import org.opencodemcp.testkit.ServerEnvironment;
import org.opencodemcp.testkit.TempDirs;

/**
 * Raw stdio against the packaged jar: blank, non-JSON and non-JSON-RPC lines get JSON-RPC errors
 * and the session goes on; stdout carries nothing but protocol; the process exits when stdin closes.
 */
class StdioRobustnessIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void badLinesGetErrorsAndTheSessionGoesOn() throws Exception {
        Path registry = TempDirs.create("registry-");
        ProcessBuilder pb = new ProcessBuilder(McpStdioServer.javaBinary(), "-jar", McpStdioServer.jar().toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        ServerEnvironment.apply(pb, registry); // its own jobs.db, never the account's
        Process p = pb.start();
        try {
            OutputStream in = p.getOutputStream();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            send(in, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\","
                    + "\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}");
            assertThat(read(out).path("result").path("serverInfo").path("name").asText()).isEqualTo("opencode-mcp");
            send(in, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");

            send(in, "");
            send(in, "   ");
            send(in, "this is not json");
            JsonNode parseError = read(out);
            assertThat(parseError.path("error").path("code").asInt()).isEqualTo(-32700);
            assertThat(parseError.get("id").isNull()).isTrue();

            send(in, "{\"hello\":\"world\"}");
            assertThat(read(out).path("error").path("code").asInt()).isEqualTo(-32600);

            send(in, "{\"jsonrpc\":\"2.0\",\"id\":7}");
            JsonNode invalid = read(out);
            assertThat(invalid.path("error").path("code").asInt()).isEqualTo(-32600);
            assertThat(invalid.path("id").asInt()).isEqualTo(7);

            send(in, "[1,2,3]");
            assertThat(read(out).path("error").path("code").asInt()).isEqualTo(-32600);

            send(in, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
            JsonNode tools = read(out);
            assertThat(tools.path("id").asInt()).isEqualTo(2);
            List<String> names = new ArrayList<>();
            tools.path("result").path("tools").forEach(t -> names.add(t.path("name").asText()));
            assertThat(names).contains("list_instances", "refresh_instances");

            send(in, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"no/such/method\"}");
            assertThat(read(out).path("error").path("code").asInt()).isEqualTo(-32601);

            long closedAt = System.nanoTime();
            in.close();
            assertThat(p.waitFor(5, TimeUnit.SECONDS)).as("exits after stdin closes").isTrue();
            assertThat(p.exitValue()).isZero();
            System.err.println("exit after stdin close: " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closedAt) + " ms");
            assertThat(out.readLine()).as("nothing but protocol on stdout").isNull();
        } finally {
            p.destroyForcibly();
            TempDirs.deleteRecursively(registry);
        }
    }

    @Test
    void logLinesGoToStderrWithAUtcTimeAndTheirLevelIsSetTheWayItWas() throws Exception {
        Path registry = TempDirs.create("registry-");
        Path log = registry.resolveSibling(registry.getFileName() + ".log");
        Path quietLog = registry.resolveSibling(registry.getFileName() + "-quiet.log");
        try {
            assertThat(runToEof(registry, log, List.of())).isZero();
            List<String> lines = java.nio.file.Files.readAllLines(log);
            assertThat(lines).as("no SLF4J start-up chatter").noneMatch(l -> l.startsWith("SLF4J"));
            assertThat(lines).anySatisfy(l -> assertThat(l).matches(
                    "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z INFO Main - opencode-mcp \\S+ serving stdio; registry .+"));

            // slf4j-simple's property, as an OPENCODE_MCP_JAVA_OPTS of before would set it
            assertThat(runToEof(registry, quietLog, List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"))).isZero();
            assertThat(java.nio.file.Files.readAllLines(quietLog)).noneMatch(l -> l.contains(" INFO "));
        } finally {
            TempDirs.deleteRecursively(registry);
            java.nio.file.Files.deleteIfExists(log);
            java.nio.file.Files.deleteIfExists(quietLog);
        }
    }

    /** The packaged jar, answered once, then stdin closed; stderr into {@code log}. Returns the exit code. */
    private static int runToEof(Path registry, Path log, List<String> jvmOptions) throws Exception {
        List<String> command = new ArrayList<>(List.of(McpStdioServer.javaBinary()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", McpStdioServer.jar().toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(log.toFile());
        ServerEnvironment.apply(pb, registry);
        Process p = pb.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            send(p.getOutputStream(), "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                    + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}");
            send(p.getOutputStream(), "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
            send(p.getOutputStream(), "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
            assertThat(read(out).path("id").asInt()).isEqualTo(1);
            assertThat(read(out).path("id").asInt()).isEqualTo(2); // built and serving: the start-up line was logged
            p.getOutputStream().close();
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("exits after stdin closes").isTrue();
            return p.exitValue();
        } finally {
            p.destroyForcibly();
        }
    }

    private static void send(OutputStream in, String line) throws Exception {
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** Every stdout line must be a JSON-RPC message. */
    private static JsonNode read(BufferedReader out) throws Exception {
        String line = out.readLine();
        assertThat(line).as("a reply line").isNotNull();
        JsonNode node = JSON.readTree(line);
        assertThat(node.path("jsonrpc").asText()).isEqualTo("2.0");
        return node;
    }
}
