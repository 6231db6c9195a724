package org.opencodemcp.server.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opencodemcp.server.support.McpStdioServer;
import org.opencodemcp.server.transport.RawHttp;
import org.opencodemcp.testkit.ServerEnvironment;

/**
 * The packaged {@code opencode-mcp} jar in HTTP mode ({@code --http 127.0.0.1:0}, so the OS picks a
 * free port that is read back from the log), as a relay would run it; clients are the MCP Java SDK's
 * Streamable HTTP client.
 */
public final class McpHttpServer implements AutoCloseable {
    public static final String TOKEN = "it-token-" + Long.toHexString(System.nanoTime()) + "-0123456789";
    private static final Pattern SERVING = Pattern.compile("serving Streamable HTTP on http://127\\.0\\.0\\.1:(\\d+)(/\\S*)");

    private final Process process;
    private final List<String> stderr = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Matcher> serving = new CompletableFuture<>();
    private final List<McpSyncClient> clients = new CopyOnWriteArrayList<>();
    private final long spawnedAt;
    private int port;
    private String path;
    private long readyMillis;

    private McpHttpServer(Path registry, Map<String, String> env, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(McpStdioServer.javaBinary(), "-jar", McpStdioServer.jar().toString(),
                "--http", "127.0.0.1:0"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        ServerEnvironment.apply(pb, registry); // its own jobs.db, never the account's
        pb.environment().put("MCP_BEARER_TOKEN", TOKEN);
        pb.environment().remove("HOST");
        pb.environment().remove("PORT");
        pb.environment().putAll(env);
        spawnedAt = System.nanoTime();
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread drain = new Thread(this::drain, "opencode-mcp-stderr");
        drain.setDaemon(true);
        drain.start();
    }

    /** Starts the jar and waits until it serves and {@code /readyz} says ready. */
    public static McpHttpServer start(Path registry, Map<String, String> env, String... args) {
        McpHttpServer s = new McpHttpServer(registry, env, List.of(args));
        try {
            Matcher m = s.serving.get(30, TimeUnit.SECONDS);
            s.port = Integer.parseInt(m.group(1));
            s.path = m.group(2);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (RawHttp.get(s.port, "/readyz").status() != 200) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("not ready after 10 s");
                }
                Thread.sleep(20);
            }
            s.readyMillis = (System.nanoTime() - s.spawnedAt) / 1_000_000;
            return s;
        } catch (TimeoutException e) {
            s.close();
            throw new IllegalStateException("opencode-mcp --http did not start within 30 s; stderr:\n" + String.join("\n", s.stderr));
        } catch (Exception e) {
            s.close();
            throw new IllegalStateException("opencode-mcp --http failed to start; stderr:\n" + String.join("\n", s.stderr), e);
        }
    }

    private void drain() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                stderr.add(line);
                System.err.println("[opencode-mcp http] " + line);
                Matcher m = SERVING.matcher(line);
                if (m.find()) {
                    serving.complete(m);
                }
            }
        } catch (IOException e) {
            // process gone
        }
        serving.completeExceptionally(new IllegalStateException("stderr closed; process "
                + (process.isAlive() ? "still alive" : "exited with " + process.exitValue())));
    }

    public int port() {
        return port;
    }

    public String path() {
        return path;
    }

    /** Spawn until {@code /readyz} first answered 200. */
    public long readyMillis() {
        return readyMillis;
    }

    public List<String> stderr() {
        return List.copyOf(stderr);
    }

    /** A new initialized client sending the right token. */
    public McpSyncClient client() {
        return client(TOKEN, p -> { });
    }

    McpSyncClient client(String token, Consumer<McpSchema.ProgressNotification> progress) {
        return client(token, progress, m -> { });
    }

    /** A new initialized client that hands every notifications/message to {@code logs}. */
    McpSyncClient client(String token, Consumer<McpSchema.ProgressNotification> progress,
            Consumer<McpSchema.LoggingMessageNotification> logs) {
        return client(token, progress, logs, contents -> { });
    }

    /** A new initialized client that also hands the contents of every updated resource to {@code updates}. */
    McpSyncClient client(String token, Consumer<McpSchema.ProgressNotification> progress,
            Consumer<McpSchema.LoggingMessageNotification> logs, Consumer<List<McpSchema.ResourceContents>> updates) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + port)
                .endpoint(path)
                .jsonMapper(new JacksonMcpJsonMapper(new ObjectMapper()))
                .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + token))
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        McpSyncClient client = McpClient.sync(transport)
                .requestTimeout(Duration.ofSeconds(90))
                .initializationTimeout(Duration.ofSeconds(30))
                .clientInfo(new McpSchema.Implementation("opencode-mcp-http-tests", "1.0"))
                .progressConsumer(progress)
                .loggingConsumer(logs)
                .resourcesUpdateConsumer(updates)
                .build();
        clients.add(client);
        client.initialize();
        return client;
    }

    @Override
    public void close() {
        for (McpSyncClient c : clients) {
            try {
                c.closeGracefully();
            } catch (RuntimeException e) {
                // server may be gone already
            }
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    boolean exited(Duration within) throws InterruptedException {
        return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    int exitValue() {
        return process.exitValue();
    }
}
