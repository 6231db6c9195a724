package org.opencodemcp.server.opencode;

import java.lang.reflect.Method;
import java.net.http.HttpClient;

/**
 * Stops an HttpClient's selector thread at process exit, where the JDK can: {@code shutdownNow()}
 * exists from Java 21 (the launcher prefers JDK 25); this code is compiled for 17, hence reflection.
 * Why it matters: at exit HotSpot waits up to 300 ms for threads in native code, and the selector
 * thread sits in {@code epoll_wait} for as long as the client lives (plans/performance.md). On 17 this
 * does nothing and the exit takes that long.
 */
public final class HttpClientShutdown {
    private HttpClientShutdown() {}

    /** True when the client was told to stop (Java 21+). */
    public static boolean shutdownNow(HttpClient client) {
        if (client instanceof LazyHttpClient lazy) {
            client = lazy.ifMade();
            if (client == null) {
                return true; // never made: no thread to stop
            }
        }
        try {
            Method m = HttpClient.class.getMethod("shutdownNow");
            m.invoke(client);
            return true;
        } catch (NoSuchMethodException e) {
            return false; // Java 17-20
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false; // exiting anyway: never let this stand in the way
        }
    }

    /**
     * Waits at most {@code limit} for a client told to stop to finish (its selector thread closes the
     * connections, then ends); true when it did. Java 21+; false at once before.
     */
    public static boolean awaitTermination(HttpClient client, java.time.Duration limit) {
        if (client instanceof LazyHttpClient lazy) {
            client = lazy.ifMade();
            if (client == null) {
                return true;
            }
        }
        try {
            Method m = HttpClient.class.getMethod("awaitTermination", java.time.Duration.class);
            return Boolean.TRUE.equals(m.invoke(client, limit));
        } catch (NoSuchMethodException e) {
            return false;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}
