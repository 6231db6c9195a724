package org.opencodemcp.server.transport;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.opencodemcp.server.config.HttpSettings;
import org.opencodemcp.server.tools.Cancellations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code opencode-mcp --http}: checks the HTTP settings (refusing unsafe ones), binds, has the root's
 * {@link McpApplication} start on the servlet transport, serves, and stops cleanly on SIGTERM.
 * Jetty's threads keep the process alive.
 */
public final class HttpMode {
    private static final Logger LOG = LoggerFactory.getLogger(HttpMode.class);
    /** Connections may stay silent this long at least (a long tool call without progress). */
    private static final Duration MIN_IDLE = Duration.ofMinutes(5);

    private final HttpTransport transport;

    private HttpMode(HttpTransport transport) {
        this.transport = transport;
    }

    /**
     * @param sendWait how long a tool call may stay silent (connections stay open at least this long plus a minute)
     * @param json     the MCP layer's JSON mapper
     * @throws HttpConfigException for a wrong or unsafe setting (the message says what to do)
     */
    public static HttpMode start(HttpSettings http, Duration sendWait, ObjectMapper json, McpApplication app) throws IOException {
        HttpEndpoint endpoint = HttpEndpoint.parse(http.spec(), http.bindEnv(), http.portEnv());
        refuseRemoteUnlessAllowed(endpoint, http.allowRemote());
        String host = http.hostEnv();
        if (host != null && !host.isBlank() && !host.strip().equals(endpoint.host())) {
            LOG.info("HOST={} is not used for the listen address (listening on {}); set it with --http HOST:PORT or HTTP_BIND",
                    host.strip(), endpoint.urlHost());
        }
        BearerToken token = token(endpoint, http.tokenFile(), http.tokenEnv());
        Duration idle = sendWait.plusSeconds(60).compareTo(MIN_IDLE) > 0 ? sendWait.plusSeconds(60) : MIN_IDLE;
        HttpTransport.Config config = new HttpTransport.Config(endpoint, http.mcpPath(), token, http.allowedHosts(),
                http.allowedOrigins(), idle, http.sessionIdle());
        HostPolicy.of(http.allowedHosts(), http.allowedOrigins(), endpoint.urlHost(), 1); // validate the lists before binding

        Cancellations cancellations = new Cancellations();
        HttpTransport transport = HttpTransport.bind(config, UnknownToolNaming.mapper(json), cancellations);
        McpApplication.Prepared prepared = app.prepare();
        // Jetty starts on its own thread while the MCP server is built (both mostly load classes; two
        // cores do it faster than one). MCP requests get 503 + Retry-After until the server is ready.
        CompletableFuture<Void> serving = new CompletableFuture<>();
        Thread starter = new Thread(() -> {
            try {
                transport.start(prepared.health(), prepared.subscriptions(), prepared.logLevels());
                serving.complete(null);
            } catch (Throwable e) {
                serving.completeExceptionally(e);
            }
        }, "http-start");
        starter.start();
        McpApplication.Running server;
        try {
            server = app.serve(transport.provider(), cancellations);
        } catch (RuntimeException e) {
            transport.close();
            app.abandon();
            throw e;
        }
        try {
            serving.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            transport.close();
            server.close();
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IOException("cannot start the HTTP server: " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting", e);
        }
        transport.mcpReady();
        if (!endpoint.loopback()) {
            LOG.warn("listening on {} (not loopback, --allow-remote): clients reach it without TLS unless a reverse proxy"
                    + " terminates TLS in front", endpoint.urlHost());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("stopping");
            transport.close();
            server.close();
        }, "shutdown"));
        return new HttpMode(transport);
    }

    /**
     * Plain HTTP off the loopback interface carries the bearer token and every prompt in clear text:
     * it takes an explicit {@code --allow-remote}, meant for a TLS-terminating proxy or a private network.
     */
    static void refuseRemoteUnlessAllowed(HttpEndpoint endpoint, boolean allowRemote) {
        if (!allowRemote && !endpoint.loopback()) {
            throw new HttpConfigException("refusing to listen on " + endpoint.urlHost() + ":" + endpoint.port()
                    + " (not loopback) without --allow-remote: plain HTTP would carry the bearer token and every prompt"
                    + " across the network. Listen on 127.0.0.1 behind a TLS-terminating reverse proxy or an SSH tunnel;"
                    + " add --allow-remote only when TLS or a private network protects the address.");
        }
    }

    /** The token is required: without one the server does not start, and says how to make one. */
    static BearerToken token(HttpEndpoint endpoint, Path tokenFile, String envToken) {
        if (tokenFile != null) {
            return BearerToken.fromFile(tokenFile);
        }
        if (envToken != null && !envToken.isBlank()) {
            return BearerToken.of(envToken, "MCP_BEARER_TOKEN");
        }
        String where = endpoint.urlHost() + ":" + endpoint.port();
        String why = endpoint.loopback()
                ? "refusing to serve HTTP on " + where + " without a bearer token: any local process or user could drive your coding agents."
                : "refusing to serve HTTP on the non-loopback address " + where
                        + " without a bearer token: anyone who can reach it could drive your coding agents.";
        throw new HttpConfigException(why + "\n" + BearerToken.HOW_TO_CREATE);
    }

    public String url() {
        return transport.url();
    }

    public int port() {
        return transport.port();
    }
}
