package org.opencodemcp.server.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The TypeScript SDK's MCP client (npm {@code @modelcontextprotocol/sdk}, the client inside the MCP
 * Inspector and OpenCode), run by {@code src/test/node/mcp-client.cjs} and driven over a line
 * protocol. What {@link Answer} holds is exactly what that client hands to its caller: a result it
 * accepted (after validating structured content against the tool's output schema), or the error it threw.
 */
public final class NodeMcpClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SCRIPT_DIR = Path.of("src", "test", "node");
    private static final long ANSWER_TIMEOUT_SECONDS = 150;

    /** One answer: {@code ok} is the accepted result, else {@code code}/{@code thrown} say what the client threw. */
    public record Answer(JsonNode ok, Integer code, String thrown) {
        public boolean isError() {
            return ok != null && ok.path("isError").asBoolean(false);
        }

        /** The first text block of an accepted result. */
        public String text() {
            if (ok == null) {
                throw new AssertionError("the client threw instead of returning a result: " + code + " " + thrown);
            }
            return ok.path("content").path(0).path("text").asText();
        }

        public JsonNode structured() {
            return ok == null ? null : ok.get("structuredContent");
        }
    }

    private final Process process;
    private final OutputStream stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private NodeMcpClient(JsonNode connect) {
        ProcessBuilder pb = new ProcessBuilder(nodeBinary(), SCRIPT_DIR.resolve("mcp-client.cjs").toString(), connect.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("NODE_PATH", nodeModules().toString());
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start node; " + howToInstall(), e);
        }
        stdin = process.getOutputStream();
        Thread reader = new Thread(this::readAnswers, "node-mcp-client");
        reader.setDaemon(true);
        reader.start();
        JsonNode ready = next();
        if (!ready.has("ready")) {
            throw new IllegalStateException("node client did not connect: " + ready);
        }
    }

    /** The client spawns {@code command} and speaks MCP over its stdio, with exactly {@code env} as the extra environment. */
    public static NodeMcpClient stdio(List<String> command, Map<String, String> env) {
        ObjectNode connect = JSON.createObjectNode();
        ObjectNode stdio = connect.putObject("stdio");
        stdio.put("command", command.get(0));
        command.subList(1, command.size()).forEach(stdio.putArray("args")::add);
        stdio.set("env", JSON.valueToTree(env));
        return new NodeMcpClient(connect);
    }

    /** The client speaks Streamable HTTP to {@code url}, sending {@code Authorization: Bearer token}. */
    public static NodeMcpClient http(String url, String token) {
        ObjectNode connect = JSON.createObjectNode();
        connect.putObject("http").put("url", url).put("token", token);
        return new NodeMcpClient(connect);
    }

    /** {@code tools/list}: the client also remembers the output schemas it validates results against. */
    public JsonNode listTools() {
        Answer a = send(JSON.createObjectNode().put("op", "list"));
        if (a.ok() == null) {
            throw new AssertionError("tools/list threw: " + a.thrown());
        }
        return a.ok().path("tools");
    }

    public Answer call(String tool, Map<String, Object> arguments) {
        ObjectNode req = JSON.createObjectNode().put("op", "call").put("name", tool);
        req.set("arguments", JSON.valueToTree(arguments));
        return send(req);
    }

    private synchronized Answer send(ObjectNode request) {
        try {
            stdin.write((request + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("node client is gone", e);
        }
        JsonNode answer = next();
        JsonNode thrown = answer.get("thrown");
        if (thrown != null) {
            return new Answer(null, thrown.path("code").isInt() ? thrown.path("code").asInt() : null, thrown.path("message").asText());
        }
        return new Answer(answer.get("ok"), null, null);
    }

    private JsonNode next() {
        try {
            String line = lines.poll(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (line == null) {
                throw new IllegalStateException("no answer from the node client within " + ANSWER_TIMEOUT_SECONDS + " s");
            }
            if (line.isEmpty()) {
                throw new IllegalStateException("the node client exited (" + (process.isAlive() ? "?" : process.exitValue()) + ")");
            }
            return JSON.readTree(line);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void readAnswers() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank()) {
                    lines.add(line);
                }
            }
        } catch (IOException e) {
            // process gone
        }
        lines.add(""); // end marker
    }

    @Override
    public void close() {
        try {
            stdin.close(); // the script closes its client (and a stdio server) and exits
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                killTree();
            }
        } catch (IOException | InterruptedException e) {
            killTree();
        }
    }

    /** Children first (a stdio server the client spawned), so none is left re-parented to init. */
    private void killTree() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    // ---- finding node and the pinned packages ----------------------------------------------------

    static String nodeBinary() {
        String explicit = System.getenv("NODE_BIN");
        return explicit == null || explicit.isBlank() ? "node" : explicit;
    }

    /**
     * {@code MCP_NODE_MODULES}, else the cache {@code scripts/install-node-clients} fills. Missing: under
     * {@code CI=true} the test fails with the install command; on a developer machine it is skipped with it.
     */
    static Path nodeModules() {
        String explicit = System.getenv("MCP_NODE_MODULES");
        Path dir = explicit != null && !explicit.isBlank() ? Path.of(explicit) : cacheDir().resolve("node_modules");
        if (!Files.isRegularFile(dir.resolve("@modelcontextprotocol/sdk/package.json"))) {
            String why = "the pinned TypeScript SDK client is not installed at " + dir + ". " + howToInstall();
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(why);
            }
            Assumptions.abort(why);
        }
        return dir;
    }

    private static Path cacheDir() {
        String root = System.getenv("OPENCODE_MCP_CACHE");
        Path base = root == null || root.isBlank() ? Path.of(System.getProperty("user.home"), ".cache", "opencode-mcp") : Path.of(root);
        return base.resolve("node-clients-sdk-" + pinnedSdkVersion());
    }

    /** The version in {@code src/test/node/package.json}, the one pin. */
    static String pinnedSdkVersion() {
        try {
            return JSON.readTree(SCRIPT_DIR.resolve("package.json").toFile()).path("dependencies").path("@modelcontextprotocol/sdk").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String howToInstall() {
        return "Install it with: scripts/install-node-clients (from the repository root; needs node >= 18 and npm), "
                + "or point MCP_NODE_MODULES at a node_modules holding @modelcontextprotocol/sdk@" + pinnedSdkVersion() + ".";
    }
}
