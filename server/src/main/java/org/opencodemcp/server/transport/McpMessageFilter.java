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
 * Everything else passes untouched.
 */
final class McpMessageFilter implements Filter {
    static final String SESSION_HEADER = "Mcp-Session-Id";
    private final Cancellations cancellations;
    private final SubscriptionGate subscriptions;
    private final LogLevels logLevels;
    private final ObjectMapper json = new ObjectMapper();

    McpMessageFilter(Cancellations cancellations, SubscriptionGate subscriptions, LogLevels logLevels) {
        this.cancellations = cancellations;
        this.subscriptions = subscriptions;
        this.logLevels = logLevels;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        String session = request.getHeader(SESSION_HEADER);
        if ("DELETE".equals(request.getMethod()) && session != null) {
            subscriptions.forget(session);
            logLevels.forget(session);
        }
        if (!"POST".equals(request.getMethod()) || session == null) {
            chain.doFilter(req, res);
            return;
        }
        byte[] body = request.getInputStream().readNBytes(StdioTransport.MAX_LINE_BYTES + 1);
        if (body.length > StdioTransport.MAX_LINE_BYTES) { // the SDK answers 413; hand it the whole body
            chain.doFilter(new Body(request, body, request.getInputStream()), res);
            return;
        }
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (IOException e) {
            node = null; // the SDK answers a malformed body
        }
        String method = node != null && node.isObject() ? node.path("method").asText("") : "";
        if (method.equals("notifications/cancelled")) {
            cancellations.cancel(Cancellations.key(session, id(node.path("params").get("requestId"))));
            ((HttpServletResponse) res).setStatus(HttpServletResponse.SC_ACCEPTED);
            return;
        }
        Object id = id(node == null ? null : node.get("id"));
        if (method.equals("logging/setLevel") && id != null) {
            String refused = logLevels.setLevel(session, node.path("params").path("level").asText(null));
            if (refused != null) {
                JsonErrors.writeRpc((HttpServletResponse) res, node.get("id"), -32602, "Invalid params: " + refused);
            } else {
                JsonErrors.writeEmptyResult((HttpServletResponse) res, node.get("id"));
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
                    JsonErrors.writeRpc((HttpServletResponse) res, node.get("id"), -32602, "Invalid params: " + refused);
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
            chain.doFilter(new Body(request, json.writeValueAsBytes(node), null), new Silenced((HttpServletResponse) res, key));
            return;
        }
        chain.doFilter(new Body(request, body, null), res);
    }

    /** A JSON-RPC id as the SDK sees it: a string or a number; anything else is no id. */
    private static Object id(JsonNode id) {
        if (id == null) {
            return null;
        }
        return id.isTextual() ? id.asText() : id.isIntegralNumber() ? (Object) id.longValue() : null;
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
