package org.opencodemcp.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One non-blocking HTTP/1.1 loop (one thread, one selector) shared by every {@link FakeOpenCode} in
 * the JVM, so a fleet of 1,000 costs 1,000 listening sockets and no thread per instance or per
 * connection. It understands exactly what the fakes need: request line, headers, a
 * {@code Content-Length} body, keep-alive, fixed-length answers and open-ended chunked streams.
 */
final class FakeHttpLoop {
    private static final int MAX_REQUEST = 1 << 20;
    private static volatile FakeHttpLoop shared;

    private final Selector selector;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Thread thread;

    /** What a fake does with one request. */
    interface Handler {
        /** Answers a request: a fixed response, or {@code null} after {@link Conn#startStream} took over the connection. */
        Response handle(Conn conn, String method, String target, byte[] body);
    }

    record Response(int status, String contentType, byte[] body) {}

    /** One listening socket: its handler and its open connections (touched on the loop thread only). */
    private record Listener(Handler handler, java.util.Set<Conn> conns) {}

    private FakeHttpLoop() {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        thread = new Thread(this::run, "fake-opencode-io");
        thread.setDaemon(true);
        thread.start();
    }

    static FakeHttpLoop get() {
        FakeHttpLoop l = shared;
        if (l == null) {
            synchronized (FakeHttpLoop.class) {
                l = shared;
                if (l == null) {
                    shared = l = new FakeHttpLoop();
                }
            }
        }
        return l;
    }

    /** Binds a new loopback listener served by {@code handler}. */
    ServerSocketChannel listen(Handler handler) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        server.configureBlocking(false);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        call(() -> server.register(selector, SelectionKey.OP_ACCEPT, new Listener(handler, new java.util.HashSet<>())));
        return server;
    }

    /**
     * Closes the listener and every connection it accepted (event streams and idle keep-alive ones
     * alike, as a dying process would) on the loop; returns once they are closed.
     */
    void close(ServerSocketChannel server) {
        call(() -> {
            SelectionKey key = server.keyFor(selector);
            closeQuietly(server);
            if (key != null) {
                Listener l = (Listener) key.attachment();
                for (Conn c : List.copyOf(l.conns())) {
                    c.closeNow();
                }
            }
            return null;
        });
    }

    private <T> T call(java.util.concurrent.Callable<T> task) {
        if (Thread.currentThread() == thread) {
            try {
                return task.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        CompletableFuture<T> done = new CompletableFuture<>();
        execute(() -> {
            try {
                done.complete(task.call());
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        try {
            return done.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("fake opencode loop: " + e, e);
        }
    }

    void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    private void run() {
        while (true) {
            try {
                selector.select();
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey key = it.next();
                    it.remove();
                    try {
                        if (!key.isValid()) {
                            continue;
                        }
                        if (key.isAcceptable()) {
                            accept(key);
                        } else {
                            Conn c = (Conn) key.attachment();
                            if (key.isWritable()) {
                                c.flush();
                            }
                            if (key.isValid() && key.isReadable()) {
                                c.readable();
                            }
                        }
                    } catch (CancelledKeyException e) {
                        // closed meanwhile
                    }
                }
            } catch (IOException | RuntimeException e) {
                System.err.println("fake opencode loop: " + e);
            }
        }
    }

    private void accept(SelectionKey key) throws IOException {
        ServerSocketChannel server = (ServerSocketChannel) key.channel();
        SocketChannel ch;
        while ((ch = server.accept()) != null) {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            Listener l = (Listener) key.attachment();
            Conn c = new Conn(ch, l.handler(), l.conns());
            l.conns().add(c);
            c.key = ch.register(selector, SelectionKey.OP_READ, c);
        }
    }

    private static void closeQuietly(java.nio.channels.Channel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    /** One accepted connection. Writes may come from any thread; they are serialized on this object. */
    final class Conn {
        private final SocketChannel ch;
        private final Handler handler;
        private final java.util.Set<Conn> siblings;
        private final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
        private ByteBuffer in = ByteBuffer.allocate(2048);
        private SelectionKey key;
        private boolean streaming;
        private boolean closed;
        /** The headers of the request being handled (names in lower case). */
        private Map<String, String> requestHeaders = Map.of();

        private Conn(SocketChannel ch, Handler handler, java.util.Set<Conn> siblings) {
            this.ch = ch;
            this.handler = handler;
            this.siblings = siblings;
        }

        /** The headers of the request being handled, names in lower case (for fakes that record requests). */
        Map<String, String> requestHeaders() {
            return requestHeaders;
        }

        /** Turns this connection into an open-ended chunked response with the given headers. */
        void startStream(String headers) {
            streaming = true;
            write(("HTTP/1.1 200 OK\r\n" + headers + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }

        /** Whether earlier writes are still queued (the peer reads slower than we write). */
        boolean backlogged() {
            synchronized (this) {
                return !out.isEmpty();
            }
        }

        /** Writes raw bytes (a hand-made response, or part of one); false once the connection is gone. */
        boolean sendRaw(byte[] bytes) {
            return write(bytes);
        }

        /** Sends one chunk of a stream; false once the connection is gone. */
        boolean sendChunk(byte[] data) {
            byte[] head = (Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
            ByteBuffer b = ByteBuffer.allocate(head.length + data.length + 2);
            b.put(head).put(data).put((byte) '\r').put((byte) '\n').flip();
            return write(b);
        }

        boolean isOpen() {
            synchronized (this) {
                return !closed;
            }
        }

        /** Closes the socket (from any thread); the peer sees the connection drop. */
        void close() {
            execute(this::closeNow);
        }

        private void closeNow() { // on the loop thread
            siblings.remove(this);
            synchronized (this) {
                closed = true;
                out.clear();
            }
            if (key != null) {
                key.cancel();
            }
            closeQuietly(ch);
        }

        private boolean write(byte[] bytes) {
            return write(ByteBuffer.wrap(bytes));
        }

        private boolean write(ByteBuffer b) {
            boolean wantWrite = false;
            synchronized (this) {
                if (closed) {
                    return false;
                }
                if (out.isEmpty()) {
                    try {
                        ch.write(b);
                    } catch (IOException e) {
                        closed = true;
                        close();
                        return false;
                    }
                }
                if (b.hasRemaining()) {
                    wantWrite = out.isEmpty();
                    out.add(b);
                }
            }
            if (wantWrite) {
                execute(() -> interest(SelectionKey.OP_READ | SelectionKey.OP_WRITE));
            }
            return true;
        }

        private void interest(int ops) {
            if (key != null && key.isValid()) {
                key.interestOps(ops);
            }
        }

        private void flush() {
            synchronized (this) {
                try {
                    while (!out.isEmpty()) {
                        ByteBuffer b = out.peek();
                        ch.write(b);
                        if (b.hasRemaining()) {
                            return;
                        }
                        out.poll();
                    }
                } catch (IOException e) {
                    closeNow();
                    return;
                }
            }
            interest(SelectionKey.OP_READ);
        }

        private void readable() {
            int n;
            try {
                if (!in.hasRemaining()) {
                    if (in.capacity() >= MAX_REQUEST) {
                        closeNow();
                        return;
                    }
                    ByteBuffer bigger = ByteBuffer.allocate(in.capacity() * 2);
                    in.flip();
                    bigger.put(in);
                    in = bigger;
                }
                n = ch.read(in);
            } catch (IOException e) {
                closeNow();
                return;
            }
            if (n < 0) {
                closeNow();
                return;
            }
            if (!streaming) {
                parseRequests();
            } else {
                in.clear(); // nothing more is expected on a stream
            }
        }

        private void parseRequests() {
            while (!streaming && !closed) {
                byte[] buf = in.array();
                int len = in.position();
                int headerEnd = indexOf(buf, len);
                if (headerEnd < 0) {
                    return;
                }
                String head = new String(buf, 0, headerEnd, StandardCharsets.ISO_8859_1);
                String[] lines = head.split("\r\n");
                String[] requestLine = lines[0].split(" ");
                if (requestLine.length < 2) {
                    closeNow();
                    return;
                }
                int contentLength = 0;
                boolean close = false;
                Map<String, String> received = new java.util.LinkedHashMap<>();
                for (int i = 1; i < lines.length; i++) {
                    int colon = lines[i].indexOf(':');
                    if (colon <= 0) {
                        continue;
                    }
                    String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
                    String value = lines[i].substring(colon + 1).trim();
                    received.put(name, value);
                    if (name.equals("content-length")) {
                        contentLength = Integer.parseInt(value);
                    } else if (name.equals("connection") && value.equalsIgnoreCase("close")) {
                        close = true;
                    }
                }
                int total = headerEnd + 4 + contentLength;
                if (total > MAX_REQUEST) {
                    closeNow();
                    return;
                }
                if (len < total) {
                    if (in.capacity() < total) {
                        ByteBuffer bigger = ByteBuffer.allocate(total);
                        in.flip();
                        bigger.put(in);
                        in = bigger;
                    }
                    return;
                }
                byte[] body = java.util.Arrays.copyOfRange(buf, headerEnd + 4, total);
                // keep whatever follows (a pipelined request)
                in.flip();
                in.position(total);
                in.compact();
                requestHeaders = java.util.Collections.unmodifiableMap(received);
                Response r;
                try {
                    r = handler.handle(this, requestLine[0], requestLine[1], body);
                } catch (RuntimeException e) {
                    r = new Response(500, "application/json", ("{\"name\":\"UnknownError\",\"data\":{\"message\":\""
                            + e.toString().replace("\"", "'") + "\"}}").getBytes(StandardCharsets.UTF_8));
                }
                if (r != null) {
                    String headers = "HTTP/1.1 " + r.status() + (r.status() == 200 ? " OK" : " Error") + "\r\n"
                            + "Content-Type: " + r.contentType() + "\r\nContent-Length: " + r.body().length + "\r\n"
                            + (close ? "Connection: close\r\n" : "") + "\r\n";
                    byte[] h = headers.getBytes(StandardCharsets.ISO_8859_1);
                    ByteBuffer b = ByteBuffer.allocate(h.length + r.body().length);
                    b.put(h).put(r.body()).flip();
                    write(b);
                    if (close) {
                        closeNow();
                    }
                }
            }
        }

        private static int indexOf(byte[] buf, int len) {
            for (int i = 3; i < len; i++) {
                if (buf[i] == '\n' && buf[i - 1] == '\r' && buf[i - 2] == '\n' && buf[i - 3] == '\r') {
                    return i - 3;
                }
            }
            return -1;
        }
    }

}
