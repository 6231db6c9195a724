package org.opencodemcp.server.registry;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.opencodemcp.server.threads.DaemonThreads;

/**
 * A bare TCP connect to {@code 127.0.0.1:port}, tried before the HTTP probe. A dead tunnel port
 * refuses at once, and learning that from a plain non-blocking connect costs a few microseconds of
 * CPU, where the JDK HTTP client spends 0.5-1 ms per refused connection: with hundreds of dead
 * registrations that difference is most of a {@code refresh_instances} (plans/performance.md).
 */
final class PortCheck {
    /**
     * The channel group of every check: our own, not the JDK's default one, because only an own group
     * can be shut down, and its poller thread sits in {@code epoll_wait}, where the JVM waits 300 ms
     * for it at exit (plans/performance.md, "exit after stdin EOF"). One thread: a completion only
     * completes a future.
     */
    private static volatile AsynchronousChannelGroup group;

    private PortCheck() {}

    private static AsynchronousChannelGroup group() throws IOException {
        AsynchronousChannelGroup g = group;
        if (g == null) {
            synchronized (PortCheck.class) {
                g = group;
                if (g == null) {
                    g = AsynchronousChannelGroup.withFixedThreadPool(1, DaemonThreads.named("port-check"));
                    group = g;
                }
            }
        }
        return g;
    }

    /**
     * At process exit: stops the group's poller thread. Checks in flight complete as "cannot tell"; a
     * later check (none at exit: the registry thread has stopped) would start a new group.
     */
    static void shutdownNow() {
        synchronized (PortCheck.class) {
            AsynchronousChannelGroup g = group;
            group = null;
            if (g != null) {
                try {
                    g.shutdownNow();
                } catch (IOException e) {
                    // exiting anyway
                }
            }
        }
    }

    /** Completes true when something accepts connections on the port, false when the connect fails. */
    static CompletableFuture<Boolean> listening(int port, Duration timeout) {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        AsynchronousSocketChannel channel;
        try {
            channel = AsynchronousSocketChannel.open(group());
        } catch (IOException | RuntimeException e) { // RuntimeException: the group is shutting down (exiting)
            return CompletableFuture.completedFuture(true); // cannot tell: let the HTTP probe decide
        }
        channel.connect(new InetSocketAddress("127.0.0.1", port), null, new CompletionHandler<Void, Void>() {
            @Override
            public void completed(Void v, Void attachment) {
                close(channel);
                result.complete(true);
            }

            @Override
            public void failed(Throwable error, Void attachment) {
                close(channel);
                result.complete(false);
            }
        });
        return result.completeOnTimeout(true, timeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((ok, e) -> close(channel));
    }

    private static void close(AsynchronousSocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a socket we are done with
        }
    }
}
