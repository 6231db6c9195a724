package org.opencodemcp.server.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import org.opencodemcp.testkit.ServerEnvironment;
import reactor.core.publisher.Mono;

/**
 * The packaged {@code opencode-mcp} jar, started by the real MCP Java SDK client over stdio, as an
 * MCP client application would start it. Collects progress notifications and the server's stderr.
 */
public final class McpStdioServer implements AutoCloseable {
    private final McpSyncClient client;
    private final List<McpSchema.ProgressNotification> progress = new CopyOnWriteArrayList<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();
    private final List<Update> resourceUpdates = new CopyOnWriteArrayList<>();
    private final List<Log> logs = new CopyOnWriteArrayList<>();

    /** A notifications/resources/updated as the SDK client handles it: it re-reads the resource. */
    public record Update(long nanos, List<McpSchema.ResourceContents> contents) {}

    /** A notifications/message as the client received it, and when. */
    public record Log(long nanos, McpSchema.LoggingMessageNotification message) {}

    private McpStdioServer(Map<String, String> givenEnv, List<String> jvmArgs, List<String> extraArgs) {
        // each server its own jobs ledger (never the account's ~/.local/state one), unless the test shares one
        Map<String, String> env = ServerEnvironment.withOwnJobs(new HashMap<>(givenEnv));
        List<String> args = new ArrayList<>(jvmArgs);
        args.addAll(List.of("-jar", jar().toString()));
        args.addAll(extraArgs);
        ServerParameters params = ServerParameters.builder(javaBinary()).args(args).env(env).build();
        StdioClientTransport transport = new StdioClientTransport(params, new JacksonMcpJsonMapper(new ObjectMapper()));
        transport.setStdErrorHandler(line -> {
            stderr.add(line);
            System.err.println("[opencode-mcp] " + line);
        });
        client = McpClient.sync(new SerializedClientSends(transport))
                .requestTimeout(Duration.ofSeconds(90))
                .initializationTimeout(Duration.ofSeconds(30))
                .clientInfo(new McpSchema.Implementation("opencode-mcp-tests", "1.0"))
                .progressConsumer(progress::add)
                .resourcesUpdateConsumer(c -> resourceUpdates.add(new Update(System.nanoTime(), c)))
                .loggingConsumer(m -> logs.add(new Log(System.nanoTime(), m)))
                .build();
        client.initialize();
    }

    /** Starts the jar with {@code RELAY_REGISTRY_DIR=registryDir} plus the given environment. */
    public static McpStdioServer start(Path registryDir, Map<String, String> env, String... args) {
        Map<String, String> all = new HashMap<>(env);
        all.put("RELAY_REGISTRY_DIR", registryDir.toString());
        return new McpStdioServer(all, List.of(), List.of(args));
    }

    /** Like {@link #start(Path, Map, String...)} with JVM options first (e.g. a small {@code -Xmx}). */
    public static McpStdioServer startWithJvm(Path registryDir, Map<String, String> env, List<String> jvmArgs, String... args) {
        Map<String, String> all = new HashMap<>(env);
        all.put("RELAY_REGISTRY_DIR", registryDir.toString());
        return new McpStdioServer(all, jvmArgs, List.of(args));
    }

    public static McpStdioServer start(Path registryDir) {
        return start(registryDir, Map.of());
    }

    /** The server processes started by this JVM whose JOBS_DB is {@code jobsDb} (to kill one with -9). */
    public static List<ProcessHandle> processesUsing(Path jobsDb) {
        String marker = "JOBS_DB=" + jobsDb;
        return ProcessHandle.current().descendants().filter(p -> {
            try {
                String environ = Files.readString(Path.of("/proc", String.valueOf(p.pid()), "environ"),
                        java.nio.charset.StandardCharsets.ISO_8859_1);
                return java.util.Arrays.asList(environ.split("\0")).contains(marker);
            } catch (java.io.IOException | RuntimeException e) {
                return false;
            }
        }).toList();
    }

    public McpSyncClient client() {
        return client;
    }

    public McpSchema.CallToolResult call(String tool, Map<String, Object> arguments) {
        return client.callTool(McpSchema.CallToolRequest.builder().name(tool).arguments(arguments).build());
    }

    /** Calls a tool with a progress token, so the server streams progress notifications. */
    public McpSchema.CallToolResult callWithProgress(String tool, Map<String, Object> arguments, String token) {
        return client.callTool(McpSchema.CallToolRequest.builder().name(tool).arguments(arguments)
                .meta(Map.of("progressToken", token)).build());
    }

    public List<McpSchema.ProgressNotification> progress() {
        return List.copyOf(progress);
    }

    public List<Update> resourceUpdates() {
        return List.copyOf(resourceUpdates);
    }

    public List<Log> logs() {
        return List.copyOf(logs);
    }

    public List<String> stderr() {
        return List.copyOf(stderr);
    }

    /** The text of a result's first content block. */
    public static String text(McpSchema.CallToolResult result) {
        return ((McpSchema.TextContent) result.content().get(0)).text();
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> structured(McpSchema.CallToolResult result) {
        return (Map<String, Object>) result.structuredContent();
    }

    @Override
    public void close() {
        client.closeGracefully();
    }

    /** The packaged jar: failsafe passes {@code server.jar}; fall back to the usual build output. */
    public static Path jar() {
        String prop = System.getProperty("server.jar");
        Path jar = prop != null ? Path.of(prop) : Path.of("target", "opencode-mcp.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("packaged server jar not found at " + jar.toAbsolutePath()
                    + "; run ./mvnw -B verify (integration tests run after packaging)");
        }
        return jar.toAbsolutePath();
    }

    public static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * The SDK client's stdio transport emits each request into a sink at once, retrying a contended emit
     * for 100 ms and then failing the call ("Failed to enqueue message"). With 100 calling threads on two
     * busy cores, one emitter can be descheduled that long (FleetLoadIT saw it). The test client
     * serializes its sends, as the server does its own ({@code SerializedSends}).
     */
    private static final class SerializedClientSends implements McpClientTransport {
        private final McpClientTransport delegate;

        SerializedClientSends(McpClientTransport delegate) {
            this.delegate = delegate;
        }

        @Override
        public Mono<Void> connect(Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
            return delegate.connect(handler);
        }

        @Override
        public void setExceptionHandler(Consumer<Throwable> handler) {
            delegate.setExceptionHandler(handler);
        }

        @Override
        public synchronized Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
            return delegate.sendMessage(message); // emits before it returns
        }

        @Override
        public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
            return delegate.unmarshalFrom(data, typeRef);
        }

        @Override
        public Mono<Void> closeGracefully() {
            return delegate.closeGracefully();
        }

        @Override
        public void close() {
            delegate.close();
        }

        @Override
        public List<String> protocolVersions() {
            return delegate.protocolVersions();
        }
    }
}
