package org.opencodemcp.server.transport;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.function.Supplier;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.opencodemcp.server.tools.Cancellations;
import org.opencodemcp.server.tools.LogLevels;
import org.opencodemcp.server.tools.SubscriptionGate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MCP over Streamable HTTP: the MCP SDK's servlet transport in an embedded Jetty 12, behind
 * {@link HttpGuardFilter} (Host/Origin, bearer token, safe error bodies), plus {@code /healthz} and
 * {@code /readyz}. Progress notifications of a tool call travel on that call's SSE response.
 *
 * <p>Use: {@link #bind} (fails early if the port is taken), hand {@link #provider()} to the MCP
 * server, then {@link #start}.
 */
public final class HttpTransport implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpTransport.class);

    /**
     * @param endpoint       where to listen
     * @param path           the MCP endpoint path, e.g. {@code /mcp}
     * @param token          required on every request except the health endpoints
     * @param allowedHosts   {@code ALLOWED_HOSTS} (may be null)
     * @param allowedOrigins {@code ALLOWED_ORIGINS} (may be null)
     * @param idleTimeout    how long a connection may stay silent; above the longest tool call without progress
     * @param sessionIdle    HTTP_SESSION_IDLE_MS: an MCP session without a request or an open stream this long is closed
     */
    public record Config(HttpEndpoint endpoint, String path, BearerToken token, String allowedHosts, String allowedOrigins,
            Duration idleTimeout, Duration sessionIdle) {
        public Config {
            path = checkPath(path);
        }
    }

    private final Config config;
    private final Server jetty;
    private final ServerConnector connector;
    private final HttpServletStreamableServerTransportProvider provider;
    private final HostPolicy policy;
    private final HttpGuardFilter guard;
    private final Cancellations cancellations;

    private HttpTransport(Config config, Server jetty, ServerConnector connector, HttpServletStreamableServerTransportProvider provider,
            HostPolicy policy, Cancellations cancellations) {
        this.config = config;
        this.cancellations = cancellations;
        this.jetty = jetty;
        this.connector = connector;
        this.provider = provider;
        this.policy = policy;
        this.guard = new HttpGuardFilter(policy, config.token()).startingUp();
    }

    /** Creates the MCP servlet and binds the port (so a taken port fails before anything else starts). */
    public static HttpTransport bind(Config config, McpJsonMapper json, Cancellations cancellations) throws IOException {
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("http");
        threads.setDaemon(false);
        Server jetty = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setSendDateHeader(false);
        ServerConnector connector = new ServerConnector(jetty, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(config.endpoint().host());
        connector.setPort(config.endpoint().port());
        connector.setIdleTimeout(config.idleTimeout().toMillis());
        jetty.addConnector(connector);
        jetty.setErrorHandler(new JsonErrorHandler());
        try {
            connector.open();
        } catch (IOException e) {
            throw new HttpConfigException("cannot listen on " + config.endpoint().urlHost() + ":" + config.endpoint().port() + ": "
                    + e.getMessage() + " (is another server using the port?)");
        }
        HostPolicy policy = HostPolicy.of(config.allowedHosts(), config.allowedOrigins(), config.endpoint().urlHost(),
                connector.getLocalPort());
        HttpServletStreamableServerTransportProvider provider = HttpServletStreamableServerTransportProvider.builder()
                .jsonMapper(json)
                .mcpEndpoint(config.path())
                .maxRequestSize(StdioTransport.MAX_LINE_BYTES) // the same 4 MiB bound as a stdio line
                // The SDK evicts, at each sweep, sessions with no open stream and no request since the
                // previous sweep: sweeping every idle/2 closes a session after idle/2 to idle without use.
                .sessionSweepInterval(sweepInterval(config.sessionIdle()))
                .build();
        return new HttpTransport(config, jetty, connector, provider, policy, cancellations);
    }

    /** The servlet transport, to be given to the MCP server before {@link #start}. */
    public HttpServletStreamableServerTransportProvider provider() {
        return provider;
    }

    /** The bound port (the real one when 0 was asked for). */
    public int port() {
        return connector.getLocalPort();
    }

    public String url() {
        return "http://" + config.endpoint().urlHost() + ":" + port() + config.path();
    }

    /**
     * Starts serving; {@code health} feeds {@code /healthz} and {@code /readyz}. May run while the MCP
     * server is still being built: MCP requests get 503 until {@link #mcpReady()}.
     */
    public void start(Supplier<HealthReport> health, SubscriptionGate subscriptions, LogLevels logLevels) throws Exception {
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.setErrorHandler(new org.eclipse.jetty.ee10.servlet.ErrorHandler() {
            {
                setShowStacks(false);
                setShowCauses(false);
                setShowMessageInTitle(false);
            }
        });
        FilterHolder guardHolder = new FilterHolder(guard);
        guardHolder.setName("guard");
        guardHolder.setAsyncSupported(true);
        context.addFilter(guardHolder, "/*", EnumSet.of(DispatcherType.REQUEST));
        FilterHolder cancelHolder = new FilterHolder(new McpMessageFilter(cancellations, subscriptions, logLevels));
        cancelHolder.setName("mcp-messages");
        cancelHolder.setAsyncSupported(true);
        context.addFilter(cancelHolder, config.path(), EnumSet.of(DispatcherType.REQUEST));
        ServletHolder mcp = new ServletHolder("mcp", provider);
        mcp.setAsyncSupported(true);
        mcp.setInitOrder(1);
        context.addServlet(mcp, config.path());
        HealthServlet healthServlet = new HealthServlet(() -> {
            HealthReport h = health.get();
            return guard.isMcpReady() ? h : new HealthReport(false, h.watcherAlive(), h.registryOk(), h.counts());
        });
        context.addServlet(new ServletHolder("healthz", healthServlet), "/healthz");
        context.addServlet(new ServletHolder("readyz", healthServlet), "/readyz");
        context.addServlet(new ServletHolder("not-found", new NotFound()), "/");
        jetty.setHandler(context);
        jetty.setStopTimeout(2000);
        jetty.start();
        LOG.debug("jetty started on port {}", port());
    }

    /** The MCP server is built (the servlet has its session factory): serve MCP requests. */
    public void mcpReady() {
        guard.mcpReady();
    }

    /** Stops accepting, closes open streams and the MCP sessions. */
    @Override
    public void close() {
        try {
            provider.closeGracefully().block(Duration.ofSeconds(2));
        } catch (RuntimeException e) {
            LOG.debug("closing MCP sessions: {}", e.toString());
        }
        try {
            jetty.stop();
        } catch (Exception e) {
            LOG.warn("stopping the HTTP server: {}", e.toString());
        }
    }

    static Duration sweepInterval(Duration sessionIdle) {
        return Duration.ofMillis(Math.max(50, sessionIdle.toMillis() / 2));
    }

    static String checkPath(String path) {
        String p = path == null || path.isBlank() ? "/mcp" : path.strip();
        if (!p.matches("/[A-Za-z0-9._~\\-/]*") || p.endsWith("/") || p.contains("//") || p.contains("/../") || p.endsWith("/..")) {
            throw new HttpConfigException("MCP_PATH '" + path + "' must be a plain absolute path such as /mcp (no trailing '/')");
        }
        if (HttpGuardFilter.OPEN_PATHS.contains(p)) {
            throw new HttpConfigException("MCP_PATH cannot be " + p + ": that path serves the health check");
        }
        return p;
    }

    /** Everything not mapped: a JSON 404 (reached only with a valid token). */
    private static final class NotFound extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.sendError(404, "Not found: the MCP endpoint is elsewhere");
        }
    }
}
