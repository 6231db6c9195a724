package org.opencodemcp.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.json.schema.jackson2.DefaultJsonSchemaValidator;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.opencodemcp.server.config.JobSettings;
import org.opencodemcp.server.config.Settings;
import org.opencodemcp.server.jobs.JobLedger;
import org.opencodemcp.server.opencode.LazyHttpClient;
import org.opencodemcp.server.opencode.NoTls;
import org.opencodemcp.server.registry.InstanceRegistry;
import org.opencodemcp.server.threads.DaemonThreads;
import org.opencodemcp.server.tools.Cancellations;
import org.opencodemcp.server.tools.FleetLog;
import org.opencodemcp.server.tools.LogLevels;
import org.opencodemcp.server.tools.ResourceSet;
import org.opencodemcp.server.tools.ResourceUpdates;
import org.opencodemcp.server.tools.SubscriptionGate;
import org.opencodemcp.server.tools.ToolCatalog;
import org.opencodemcp.server.tools.ToolProfile;
import org.opencodemcp.server.tools.ToolSet;
import org.opencodemcp.server.transport.McpApplication;
import org.opencodemcp.server.transport.ServerIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the flow together: registry (watch + probe) -> instances -> OpenCode clients -> tools -> an
 * MCP transport. One per process.
 */
public final class OpenCodeMcpServer implements McpApplication.Running {
    private static final Logger LOG = LoggerFactory.getLogger(OpenCodeMcpServer.class);
    /** How long the first tool calls wait for the registry's first scan and probes (see awaitFirstLook). */
    private static final Duration FIRST_LOOK_WAIT = Duration.ofSeconds(2);
    static final String INSTRUCTIONS = """
            Drives OpenCode coding agents running on the user's machines. Start with list_instances: online \
            instances can be driven. list_sessions / get_session show work in progress; send_message sends a \
            prompt (to the most recently updated session unless told otherwise) and streams the answer; every send \
            is a job: if it answers "still running", follow up with get_job (wait_seconds) instead of sending again; \
            list_jobs shows recent ones. get_status shows busy \
            sessions and permission requests (answer them with reply_permission); abort_session stops a turn. \
            Instance arguments accept the exact name or a unique part of it; session arguments accept a full id, \
            a unique id prefix or a unique part of the title.""";
    static final String SIMPLE_INSTRUCTIONS = """
            Drives OpenCode coding agents running on the user's machines. instances lists them; send sends a             message to an instance's most recent session and waits for the reply (if it answers "still running",             follow up with read instead of sending again; abort=true stops a task); read shows the latest             conversation. The instance argument accepts the exact name or a unique part of it.""";

    private final InstanceRegistry registry;
    private final JobLedger jobs;
    private final McpSyncServer mcp;
    /** the one thread of the notices nobody asked for in a call: ResourceUpdates' and FleetLog's ticks */
    private final ScheduledExecutorService notices;
    private final ResourceUpdates updates;
    private final FleetLog fleetLog;

    private OpenCodeMcpServer(InstanceRegistry registry, JobLedger jobs, McpSyncServer mcp, ScheduledExecutorService notices,
            ResourceUpdates updates, FleetLog fleetLog) {
        this.registry = registry;
        this.jobs = jobs;
        this.mcp = mcp;
        this.notices = notices;
        this.updates = updates;
        this.fleetLog = fleetLog;
    }

    /**
     * What the server says about itself at initialize: the SDK's server answers with it, and so does
     * stdio's early answer (StdioTransport), made by this one function.
     */
    public static ServerIdentity identity(ToolProfile profile) {
        return new ServerIdentity("opencode-mcp", Version.get(), profile == ToolProfile.SIMPLE ? SIMPLE_INSTRUCTIONS : INSTRUCTIONS);
    }

    /** The JSON mapper shared by the MCP layer and the OpenCode clients. */
    public static ObjectMapper objectMapper() {
        return new ObjectMapper();
    }

    /** The JDK HTTP client's read buffer per connection (its default: 16 KB), unless set on the command line. */
    static final String HTTP_BUFFER_PROPERTY = "jdk.httpclient.bufsize";
    static final String HTTP_BUFFER_BYTES = "4096";

    /**
     * Shared by every OpenCode client: HTTP/1.1 (OpenCode's SSE), daemon threads, short connect timeout.
     * Its read buffers are 4 KB: each open connection keeps one, and at 1,000 instances (an event stream
     * and a pooled connection each) the 16 KB default was 76 of the 121 MB live heap. An event line or
     * a JSON answer larger than that is read in more pieces, not refused. Set by {@link #smallHttpBuffers}
     * in {@link #newRegistry}: here, when the client is made, would be too late.
     */
    public static HttpClient httpClient(Settings settings) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(NoTls.context())
                .sslParameters(NoTls.parameters())
                .connectTimeout(settings.healthTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(httpExecutor())
                .build();
    }

    /**
     * Runs the HTTP client's callbacks (response bodies, event stream lines, dependent stages). All of
     * them are short and non-blocking, so a few threads serve any fleet: a cached pool grew to 265
     * threads when 1,000 instances came online at once (about 30 MB of stacks, plans/performance.md).
     * The queue is unbounded, so nothing is ever rejected; idle threads end after 30 s.
     */
    private static ExecutorService httpExecutor() {
        int threads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                DaemonThreads.numbered("opencode-http"));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /**
     * Sets the HTTP client's buffer size unless the command line did. The JDK reads it once, when its HTTP
     * classes initialize: building the first request does that (before the lazily made client exists),
     * so this runs before the registry, which sends every request, is made.
     */
    static void smallHttpBuffers() {
        if (System.getProperty(HTTP_BUFFER_PROPERTY) == null) {
            System.setProperty(HTTP_BUFFER_PROPERTY, HTTP_BUFFER_BYTES);
        }
    }

    public static InstanceRegistry newRegistry(Settings settings, ObjectMapper json) {
        smallHttpBuffers();
        // made on first use (the registry's warm-up, after the initialize answer): see LazyHttpClient
        return new InstanceRegistry(settings, new LazyHttpClient(() -> httpClient(settings)), json, Clock.systemUTC());
    }

    /**
     * The HTTP mode's application: the registry starts once the port is bound, the MCP server is built
     * on the transport's provider while Jetty starts.
     */
    public static McpApplication forHttp(Settings settings, JobSettings jobs, ObjectMapper json, ToolProfile profile) {
        return new McpApplication() {
            private InstanceRegistry registry;
            private SubscriptionGate subscriptions;
            private LogLevels logLevels;

            @Override
            public Prepared prepare() {
                InstanceRegistry r = newRegistry(settings, json);
                registry = r;
                subscriptions = new SubscriptionGate(r);
                logLevels = new LogLevels();
                return new Prepared(() -> ServerHealth.of(r), subscriptions, logLevels);
            }

            @Override
            public Running serve(McpStreamableServerTransportProvider provider, Cancellations cancellations) {
                return start(registry, jobs, json, provider, profile, cancellations, subscriptions, logLevels);
            }

            @Override
            public void abandon() {
                if (registry != null) {
                    registry.close();
                }
            }
        };
    }

    /**
     * The jobs ledger, its database file checked now, its store not yet opened ({@link JobLedger#openStore()}).
     *
     * @throws org.opencodemcp.server.jobs.JobStoreException when the file cannot be used (the message names
     *         it and the fix); a failure found later, while opening the store, ends the process the same way
     */
    public static JobLedger newLedger(InstanceRegistry registry, JobSettings jobs) {
        return JobLedger.create(registry, jobs, Clock.systemUTC(), OpenCodeMcpServer::jobsFailed);
    }

    /**
     * Serves the tools on {@code transport} (stdio) and leaves starting the registry and opening the jobs
     * store to the caller (Main does both after the initialize answer: plans/performance.md, "what start-up defers").
     */
    public static OpenCodeMcpServer serveThenStartRegistry(InstanceRegistry registry, JobLedger jobs, ObjectMapper json,
            McpServerTransportProvider transport, ToolProfile profile, Cancellations cancellations,
            SubscriptionGate subscriptions, LogLevels logLevels) {
        // stdio has one client session: addressed by the provider's broadcast, whose id the transport never sees
        FleetLog.Notifier notifier = (connection, method, params) -> sent(transport.notifyClients(method, params), connection);
        return build(registry, jobs, json, McpServer.sync(transport), profile, cancellations, subscriptions, logLevels, notifier);
    }

    /** Starts the registry and serves the tools on a Streamable HTTP {@code transport}. */
    public static OpenCodeMcpServer start(InstanceRegistry registry, JobSettings jobs, ObjectMapper json,
            McpStreamableServerTransportProvider transport, ToolProfile profile, Cancellations cancellations,
            SubscriptionGate subscriptions, LogLevels logLevels) {
        // the connection is the Mcp-Session-Id: the SDK's per-session path (an unknown one is dropped by the SDK)
        FleetLog.Notifier notifier = (connection, method, params) -> sent(transport.notifyClient(connection, method, params), connection);
        JobLedger ledger = newLedger(registry, jobs);
        ledger.openStore();
        OpenCodeMcpServer server = build(registry, ledger, json, McpServer.sync(transport), profile, cancellations, subscriptions,
                logLevels, notifier);
        registry.start();
        return server;
    }

    /** Sends without waiting; a send that fails or takes over 5 s is dropped (logged), never retried. */
    private static void sent(reactor.core.publisher.Mono<Void> sending, String connection) {
        sending.timeout(Duration.ofSeconds(5)).subscribe(done -> { }, e -> LOG.debug("fleet log to {}: {}", connection, e.toString()));
    }

    private static OpenCodeMcpServer build(InstanceRegistry registry, JobLedger jobs, ObjectMapper json,
            McpServer.SyncSpecification<?> spec, ToolProfile profile, Cancellations cancellations, SubscriptionGate subscriptions,
            LogLevels logLevels, FleetLog.Notifier notifier) {
        McpJsonMapper mcpJson = new JacksonMcpJsonMapper(json);
        ServerIdentity identity = identity(profile);
        ResourceSet resources = new ResourceSet(registry, Clock.systemUTC());
        McpSyncServer mcp = spec
                .jsonMapper(mcpJson)
                // validate a cached list_instances result once, not on every call (MemoizingSchemaValidator)
                .jsonSchemaValidator(new MemoizingSchemaValidator(() -> new DefaultJsonSchemaValidator(json)))
                .serverInfo(identity.serverInfo())
                .instructions(identity.instructions())
                .capabilities(identity.capabilities())
                .requestTimeout(Duration.ofSeconds(30))
                .tools(ToolCatalog.specifications(ToolSet.of(profile, registry, jobs), cancellations,
                        () -> registry.awaitFirstLook(FIRST_LOOK_WAIT)))
                .resources(resources.resources())
                .resourceTemplates(resources.templates())
                .build();
        // both tick every 100 ms and work only while a client subscribed or set a level: one thread serves the two
        ScheduledExecutorService notices = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("fleet-notices"));
        return new OpenCodeMcpServer(registry, jobs, mcp, notices,
                new ResourceUpdates(registry, resources, mcp, subscriptions::any, notices).start(),
                new FleetLog(registry, logLevels, notifier, profile != ToolProfile.SIMPLE, notices).start());
    }

    /** The jobs database could not be opened: never a silent loss, so the server stops with the reason. */
    private static void jobsFailed(String message) {
        System.err.println("opencode-mcp: " + message);
        System.err.flush();
        Runtime.getRuntime().halt(2);
    }

    @Override
    public void close() {
        updates.close();
        fleetLog.close();
        notices.shutdownNow();
        mcp.closeGracefully();
        registry.close();
        jobs.close();
    }
}
