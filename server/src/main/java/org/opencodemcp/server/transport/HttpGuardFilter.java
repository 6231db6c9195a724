package org.opencodemcp.server.transport;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import org.opencodemcp.contract.SafeText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In front of everything the HTTP mode serves, in this order:
 * <ol>
 *   <li>{@code Host} and {@code Origin} must be allowed ({@link HostPolicy}), else 403;</li>
 *   <li>every path except {@code GET|HEAD /healthz} and {@code /readyz} needs the bearer token, else 401
 *       with {@code WWW-Authenticate: Bearer};</li>
 *   <li>refusals (401, 403, 413) are counted and logged at most once a minute ({@link RefusalLog});</li>
 *   <li>error bodies of what follows are short JSON ({@link SafeErrorResponse}); an exception that
 *       escapes becomes a 500 whose details stay in the log.</li>
 * </ol>
 */
public final class HttpGuardFilter implements Filter {
    private static final Logger LOG = LoggerFactory.getLogger(HttpGuardFilter.class);
    static final Set<String> OPEN_PATHS = Set.of("/healthz", "/readyz");

    private final HostPolicy policy;
    private final BearerToken token;
    private final RefusalLog refusals = new RefusalLog(System::nanoTime, LOG::warn);
    /** False while the MCP server is still being built (Jetty starts alongside it). */
    private volatile boolean mcpReady = true;

    public HttpGuardFilter(HostPolicy policy, BearerToken token) {
        this.policy = policy;
        this.token = token;
    }

    /** Until {@link #mcpReady()} is called, authorized non-health requests get 503 with Retry-After. */
    HttpGuardFilter startingUp() {
        mcpReady = false;
        return this;
    }

    void mcpReady() {
        mcpReady = true;
    }

    boolean isMcpReady() {
        return mcpReady;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        String problem = policy.hostProblem(request.getHeader("Host"));
        if (problem == null) {
            problem = policy.originProblem(request.getHeader("Origin"));
        }
        if (problem != null) {
            refusals.refused(403, describe(request) + ": " + SafeText.log(problem));
            JsonErrors.write(response, 403, problem);
            return;
        }
        boolean open = isOpen(request);
        if (open) {
            chain.doFilter(request, response); // our own health servlet: its 503 body is the report
            return;
        }
        if (!token.accepts(request.getHeader("Authorization"))) {
            boolean presented = request.getHeader("Authorization") != null;
            refusals.refused(401, describe(request) + ": " + (presented ? "wrong" : "no") + " bearer token");
            response.setHeader("WWW-Authenticate", presented
                    ? "Bearer realm=\"opencode-mcp\", error=\"invalid_token\""
                    : "Bearer realm=\"opencode-mcp\"");
            JsonErrors.write(response, 401, presented
                    ? "Unauthorized: the bearer token is wrong"
                    : "Unauthorized: send 'Authorization: Bearer <token>' (the token the server was started with)");
            return;
        }
        if (!mcpReady) {
            response.setHeader("Retry-After", "1");
            JsonErrors.write(response, 503, "Starting up: retry in a moment");
            return;
        }
        SafeErrorResponse safe = new SafeErrorResponse(response);
        try {
            chain.doFilter(request, safe);
        } catch (IOException | ServletException | RuntimeException e) {
            LOG.error("{} {} failed", request.getMethod(), request.getRequestURI(), e);
            if (!response.isCommitted()) {
                JsonErrors.write(response, 500, JsonErrors.defaultMessage(500));
            }
            return;
        }
        safe.finish();
        if (response.getStatus() == 413) {
            refusals.refused(413, describe(request) + ": body over the size limit");
        }
    }

    /** Method, path and peer of a request, escaped for one log line (the path is the client's text). */
    private static String describe(HttpServletRequest request) {
        return SafeText.log(request.getMethod() + " " + request.getRequestURI() + " from " + request.getRemoteAddr());
    }

    static boolean isOpen(HttpServletRequest request) {
        String method = request.getMethod();
        return ("GET".equals(method) || "HEAD".equals(method)) && OPEN_PATHS.contains(request.getRequestURI());
    }
}
