package org.opencodemcp.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The guard filter in a real (in-process) Jetty, in front of servlets that misbehave like the MCP SDK's. */
class HttpGuardFilterTest {
    private static final String TOKEN = "unit-test-token-0123456789";
    private static final Map<String, String> AUTH = Map.of("Authorization", "Bearer " + TOKEN);
    private static final AtomicReference<HealthReport> HEALTH = new AtomicReference<>(
            new HealthReport(true, true, true, Map.of("online", 2, "unreachable", 1)));
    private static Server jetty;
    private static HttpGuardFilter guardFilter;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        jetty.addConnector(connector);
        connector.open();
        port = connector.getLocalPort();
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        guardFilter = new HttpGuardFilter(HostPolicy.of(null, null, "127.0.0.1", port), BearerToken.of(TOKEN, "test"));
        FilterHolder guard = new FilterHolder(guardFilter);
        guard.setAsyncSupported(true);
        context.addFilter(guard, "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new Echo()), "/mcp");
        context.addServlet(new ServletHolder(new SdkStyleError()), "/sdk-error");
        context.addServlet(new ServletHolder(new SendsError()), "/send-error");
        context.addServlet(new ServletHolder(new Throws()), "/throws");
        HealthServlet health = new HealthServlet(HEALTH::get);
        context.addServlet(new ServletHolder(health), "/healthz");
        context.addServlet(new ServletHolder(health), "/readyz");
        jetty.setHandler(context);
        jetty.start();
    }

    @BeforeEach
    void healthy() {
        HEALTH.set(new HealthReport(true, true, true, Map.of("online", 2, "unreachable", 1)));
    }

    @AfterAll
    static void stop() throws Exception {
        jetty.stop();
    }

    @Test
    void tokenIsRequiredAndChecked() {
        RawHttp.Response none = RawHttp.send(port, "POST", "/mcp", Map.of(), "{}");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"opencode-mcp\"");
        assertThat(none.body()).contains("\"code\":-32001").contains("Authorization: Bearer");

        RawHttp.Response wrong = RawHttp.send(port, "POST", "/mcp", Map.of("Authorization", "Bearer " + TOKEN + "0"), "{}");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.header("WWW-Authenticate")).contains("invalid_token");
        assertThat(wrong.body()).doesNotContain(TOKEN);

        RawHttp.Response basic = RawHttp.send(port, "POST", "/mcp", Map.of("Authorization", "Basic " + TOKEN), "{}");
        assertThat(basic.status()).isEqualTo(401);

        RawHttp.Response ok = RawHttp.send(port, "POST", "/mcp", AUTH, "{}");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("echo");
    }

    @Test
    void whileTheMcpServerIsBeingBuiltAuthorizedRequestsGet503WithRetryAfter() {
        guardFilter.startingUp();
        try {
            RawHttp.Response starting = RawHttp.send(port, "POST", "/mcp", AUTH, "{}");
            assertThat(starting.status()).isEqualTo(503);
            assertThat(starting.header("Retry-After")).isEqualTo("1");
            assertThat(RawHttp.send(port, "POST", "/mcp", Map.of(), "{}").status()).as("the token is checked first").isEqualTo(401);
            assertThat(RawHttp.get(port, "/healthz").status()).isEqualTo(200);
        } finally {
            guardFilter.mcpReady();
        }
        assertThat(RawHttp.send(port, "POST", "/mcp", AUTH, "{}").status()).isEqualTo(200);
    }

    @Test
    void everyPathButTheHealthEndpointsNeedsTheToken() {
        assertThat(RawHttp.get(port, "/anything").status()).isEqualTo(401);
        assertThat(RawHttp.get(port, "/healthz/").status()).isEqualTo(401);
        assertThat(RawHttp.send(port, "POST", "/healthz", Map.of(), "{}").status()).isEqualTo(401);
        assertThat(RawHttp.get(port, "/healthz").status()).isEqualTo(200);
        assertThat(RawHttp.get(port, "/readyz").status()).isEqualTo(200);
    }

    @Test
    void wrongHostOrOriginIsForbiddenEvenWithTheToken() {
        RawHttp.Response host = RawHttp.send(port, "POST", "/mcp", Map.of("Host", "evil.example:" + port,
                "Authorization", "Bearer " + TOKEN), "{}");
        assertThat(host.status()).isEqualTo(403);
        assertThat(host.body()).contains("ALLOWED_HOSTS").contains("\"code\":-32003");

        RawHttp.Response origin = RawHttp.send(port, "POST", "/mcp", Map.of("Origin", "http://evil.example",
                "Authorization", "Bearer " + TOKEN), "{}");
        assertThat(origin.status()).isEqualTo(403);
        assertThat(origin.body()).contains("ALLOWED_ORIGINS");

        assertThat(RawHttp.send(port, "GET", "/healthz", Map.of("Host", "evil.example"), null).status())
                .as("DNS rebinding cannot read the health endpoint either").isEqualTo(403);
        assertThat(RawHttp.send(port, "POST", "/mcp", Map.of("Origin", "http://localhost:" + port,
                "Authorization", "Bearer " + TOKEN), "{}").status()).isEqualTo(200);
    }

    @Test
    void errorBodiesWrittenAfterAnErrorStatusAreReplacedByAShortJsonRpcError() {
        RawHttp.Response r = RawHttp.send(port, "POST", "/sdk-error", AUTH, "{}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(r.body()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,\"message\":\"Session ID required\"}}");
        assertThat(r.body()).doesNotContain("stackTrace").doesNotContain("at org.");
    }

    @Test
    void sendErrorAndExceptionsBecomeShortJsonWithoutDetails() {
        RawHttp.Response sent = RawHttp.send(port, "GET", "/send-error", AUTH, null);
        assertThat(sent.status()).isEqualTo(404);
        assertThat(sent.body()).contains("\"code\":-32004").doesNotContain("<html");

        RawHttp.Response thrown = RawHttp.send(port, "GET", "/throws", AUTH, null);
        assertThat(thrown.status()).isEqualTo(500);
        assertThat(thrown.body()).contains("details are in the server log").doesNotContain("secret detail")
                .doesNotContain("Exception");
    }

    @Test
    void healthReportsCountsAndReadinessOnly() {
        HEALTH.set(new HealthReport(true, true, true, Map.of("online", 2, "unreachable", 1)));
        RawHttp.Response h = RawHttp.get(port, "/healthz");
        assertThat(h.status()).isEqualTo(200);
        assertThat(h.body()).contains("\"status\":\"ok\"").contains("\"online\":2").contains("\"total\":3")
                .contains("\"watcherAlive\":true");

        HEALTH.set(new HealthReport(false, false, true, Map.of()));
        assertThat(RawHttp.get(port, "/readyz").status()).isEqualTo(503);
        assertThat(RawHttp.get(port, "/readyz").body()).contains("starting");
        assertThat(RawHttp.get(port, "/healthz").status()).as("alive while starting").isEqualTo(200);

        HEALTH.set(new HealthReport(true, false, true, Map.of()));
        RawHttp.Response degraded = RawHttp.get(port, "/healthz");
        assertThat(degraded.status()).isEqualTo(503);
        assertThat(degraded.body()).contains("\"status\":\"degraded\"").contains("\"watcherAlive\":false");
        assertThat(RawHttp.get(port, "/readyz").status()).isEqualTo(200);
    }

    @Test
    void mcpPathMustBeAPlainPathOtherThanTheHealthEndpoints() {
        assertThat(HttpTransport.checkPath(null)).isEqualTo("/mcp");
        assertThat(HttpTransport.checkPath("/api/mcp")).isEqualTo("/api/mcp");
        assertThatThrownBy(() -> HttpTransport.checkPath("mcp")).isInstanceOf(HttpConfigException.class);
        assertThatThrownBy(() -> HttpTransport.checkPath("/mcp/")).isInstanceOf(HttpConfigException.class);
        assertThatThrownBy(() -> HttpTransport.checkPath("/a/../mcp")).isInstanceOf(HttpConfigException.class);
        assertThatThrownBy(() -> HttpTransport.checkPath("/healthz")).hasMessageContaining("health");
    }

    @Test
    void noTokenRefusesToStartOnAnyAddressAndSaysHowToMakeOne() {
        assertThatThrownBy(() -> HttpMode.token(new HttpEndpoint("127.0.0.1", 8080), null, null))
                .isInstanceOf(HttpConfigException.class).hasMessageContaining("without a bearer token")
                .hasMessageContaining("openssl rand -hex 32");
        assertThatThrownBy(() -> HttpMode.token(new HttpEndpoint("0.0.0.0", 8080), null, " "))
                .hasMessageContaining("non-loopback address 0.0.0.0:8080");
        assertThat(HttpMode.token(new HttpEndpoint("0.0.0.0", 8080), null, TOKEN).accepts("Bearer " + TOKEN)).isTrue();
    }

    /** 200 "echo". */
    static final class Echo extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain");
            resp.getWriter().write("echo");
        }
    }

    /** What the SDK's responseError does: status, then the serialized exception with its stack trace. */
    static final class SdkStyleError extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("application/json");
            resp.setCharacterEncoding("UTF-8");
            resp.setStatus(400);
            PrintWriter w = resp.getWriter();
            w.write("{\"stackTrace\":[{\"className\":\"io.modelcontextprotocol.X\",\"lineNumber\":12}],"
                    + "\"jsonRpcError\":{\"code\":-32600,\"message\":\"Session ID required\",\"data\":null},"
                    + "\"message\":\"Session ID required\",\"localizedMessage\":\"Session ID required\",\"suppressed\":[]}");
            w.flush();
        }
    }

    static final class SendsError extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.sendError(404);
        }
    }

    static final class Throws extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) {
            throw new IllegalStateException("secret detail");
        }
    }
}
