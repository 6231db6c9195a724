package org.opencodemcp.server.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.SequenceInputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.opencodemcp.server.tools.Cancellations;
import org.opencodemcp.server.tools.LogLevels;
import org.opencodemcp.server.tools.SubscriptionGate;

/**
 * What the SDK does not do for Streamable HTTP, on the MCP endpoint:
 * <ul>
 *   <li>{@code notifications/cancelled}: cancels the call it names in that MCP session, answered 202
 *       here; every {@code tools/call} is tagged with its call key (in {@code _meta}, always
 *       overwritten) and its response stream goes silent once the call is cancelled, so no result
 *       reaches the client ({@link Cancellations});</li>
 *   <li>{@code resources/subscribe}: refused with {@code -32602} unless the {@link SubscriptionGate}
 *       accepts it (a known resource, a bounded number per session); unsubscribe and DELETE free it;</li>
 *   <li>{@code logging/setLevel}: answered here and kept in {@link LogLevels} (the SDK's own level cannot be
 *       used outside a request, so the fleet's log notifications are addressed from there); DELETE forgets it.</li>
 * </ul>
 * These act only for a session the SDK handed out ({@link KnownSessions}: learned from the {@code initialize}
 * response, forgotten on DELETE or the SDK's 404); any other {@code Mcp-Session-Id} gets the SDK's own answer,
 * 404 "Session not found", and nothing is kept for it. Everything else passes untouched.
 */
final class McpMessageFilter implements Filter {
    static final String SESSION_HEADER = "Mcp-Session-Id";
    /** The methods answered or kept here, for a session the SDK handed out only. */
    private static final Set<String> ANSWERED_HERE = Set.of("notifications/cancelled", "logging/setLevel",
            "resources/subscribe", "resources/unsubscribe");
    private final Cancellations cancellations;
    private final SubscriptionGate subscriptions;
    private final LogLevels logLevels;
    private final KnownSessions sessions = new KnownSessions();
    private final ObjectMapper json = new ObjectMapper();

    McpMessageFilter(Cancellations cancellations, SubscriptionGate subscriptions, LogLevels logLevels) {
        this.cancellations = cancellations;
        this.subscriptions = subscriptions;
        this.logLevels = logLevels;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        String session = request.getHeader(SESSION_HEADER);
        if (session == null) {
            // an initialize (or a request the SDK refuses): learn the session id the SDK hands out
            chain.doFilter(req, "POST".equals(request.getMethod()) ? new SessionIdCapture(response) : res);
            return;
        }
        if ("DELETE".equals(request.getMethod())) {
            forget(session);
        }
        if (!"POST".equals(request.getMethod())) {
            pass(chain, req, response, session);
            return;
        }
        byte[] body = request.getInputStream().readNBytes(StdioTransport.MAX_LINE_BYTES + 1);
        if (body.length > StdioTransport.MAX_LINE_BYTES) { // the SDK answers 413; hand it the whole body
            pass(chain, new Body(request, body, request.getInputStream()), response, session);
            return;
        }
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (IOException e) {
            node = null; // the SDK answers a malformed body
        }
        String method = node != null && node.isObject() ? node.path("method").asText("") : "";
        if (ANSWERED_HERE.contains(method) && !sessions.known(session)) {
            // before anything is kept for it: a made-up id must not take the place of a real session's entry
            JsonErrors.writeSessionNotFound(response, session);
            return;
        }
        if (method.equals("notifications/cancelled")) {
            cancellations.cancel(Cancellations.key(session, JsonRpcIds.of(node.path("params").get("requestId"))));
            response.setStatus(HttpServletResponse.SC_ACCEPTED);
            return;
        }
        Object id = JsonRpcIds.of(node == null ? null : node.get("id"));
        if (method.equals("logging/setLevel") && id != null) {
            String refused = logLevels.setLevel(session, node.path("params").path("level").asText(null));
            if (refused != null) {
                JsonErrors.writeRpc(response, node.get("id"), -32602, "Invalid params: " + refused);
            } else {
                JsonErrors.writeEmptyResult(response, node.get("id"));
            }
            return;
        }
        if (method.equals("resources/subscribe") || method.equals("resources/unsubscribe")) {
            String uri = node.path("params").path("uri").asText(null);
            if (method.equals("resources/unsubscribe")) {
                subscriptions.unsubscribe(session, uri);
            } else {
                String refused = subscriptions.subscribe(session, uri);
                if (refused != null) {
                    JsonErrors.writeRpc(response, node.get("id"), -32602, "Invalid params: " + refused);
                    return;
                }
            }
        }
        if (method.equals("tools/call") && id != null && node.path("params").isObject()) {
            String key = Cancellations.key(session, id);
            ObjectNode params = (ObjectNode) node.get("params");
            JsonNode meta = params.get("_meta");
            ObjectNode m = meta != null && meta.isObject() ? (ObjectNode) meta : params.putObject("_meta");
            m.put(Cancellations.META_KEY, key);
            pass(chain, new Body(request, json.writeValueAsBytes(node), null), new Silenced(response, key), session);
            return;
        }
        // an initialize that still carries an old session's header opens a new session too
        pass(chain, new Body(request, body, null), method.equals("initialize") ? new SessionIdCapture(response) : response,
                session);
    }

    /** Hands the request to the SDK; its 404 means it has no such session (any more): what we kept for it goes. */
    private void pass(FilterChain chain, ServletRequest req, HttpServletResponse res, String session)
            throws IOException, ServletException {
        chain.doFilter(req, res);
        if (res.getStatus() == HttpServletResponse.SC_NOT_FOUND) {
            forget(session);
        }
    }

    private void forget(String session) {
        sessions.forget(session);
        subscriptions.forget(session);
        logLevels.forget(session);
    }

    /** The request with its body replaced by bytes already read (plus, for an oversized one, the rest). */
    private static final class Body extends HttpServletRequestWrapper {
        private final byte[] bytes;
        private final InputStream rest;

        Body(HttpServletRequest request, byte[] bytes, InputStream rest) {
            super(request);
            this.bytes = bytes;
            this.rest = rest;
        }

        @Override
        public int getContentLength() {
            return rest == null ? bytes.length : super.getContentLength();
        }

        @Override
        public long getContentLengthLong() {
            return rest == null ? bytes.length : super.getContentLengthLong();
        }

        @Override
        public ServletInputStream getInputStream() {
            InputStream in = rest == null ? new ByteArrayInputStream(bytes)
                    : new SequenceInputStream(new ByteArrayInputStream(bytes), rest);
            return new ServletInputStream() {
                private boolean finished;

                @Override
                public int read() throws IOException {
                    int b = in.read();
                    finished = b < 0;
                    return b;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = in.read(b, off, len);
                    finished = n < 0;
                    return n;
                }

                @Override
                public boolean isFinished() {
                    return finished;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new IllegalStateException("blocking reads only");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }
    }

    /** The response to an {@code initialize}: the session id is known as the SDK sets it, before the client reads it. */
    private final class SessionIdCapture extends HttpServletResponseWrapper {
        SessionIdCapture(HttpServletResponse response) {
            super(response);
        }

        @Override
        public void setHeader(String name, String value) {
            learn(name, value);
            super.setHeader(name, value);
        }

        @Override
        public void addHeader(String name, String value) {
            learn(name, value);
            super.addHeader(name, value);
        }

        private void learn(String name, String value) {
            if (SESSION_HEADER.equalsIgnoreCase(name)) {
                sessions.add(value);
            }
        }
    }

    /** The response of one tool call: once the call is cancelled, nothing more is written or flushed. */
    private final class Silenced extends HttpServletResponseWrapper {
        private final String key;
        private PrintWriter writer;

        Silenced(HttpServletResponse response, String key) {
            super(response);
            this.key = key;
        }

        private boolean silent() {
            return cancellations.isCancelled(key);
        }

        @Override
        public synchronized PrintWriter getWriter() throws IOException {
            if (writer == null) {
                PrintWriter out = super.getWriter();
                writer = new PrintWriter(new Writer() {
                    @Override
                    public void write(char[] cbuf, int off, int len) {
                        if (!silent()) {
                            out.write(cbuf, off, len);
                        }
                    }

                    @Override
                    public void flush() {
                        if (!silent()) {
                            out.flush();
                        }
                    }

                    @Override
                    public void close() {
                        out.close();
                    }
                });
            }
            return writer;
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            ServletOutputStream out = super.getOutputStream();
            return new ServletOutputStream() {
                @Override
                public void write(int b) throws IOException {
                    if (!silent()) {
                        out.write(b);
                    }
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    if (!silent()) {
                        out.write(b, off, len);
                    }
                }

                @Override
                public void flush() throws IOException {
                    if (!silent()) {
                        out.flush();
                    }
                }

                @Override
                public void close() throws IOException {
                    out.close();
                }

                @Override
                public boolean isReady() {
                    return out.isReady();
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                    out.setWriteListener(listener);
                }
            };
        }
    }
}
