package org.opencodemcp.server.opencode;

import java.lang.reflect.Method;
import java.net.http.HttpClient;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stops an HttpClient's selector thread at process exit. Why it matters: at exit HotSpot waits up to
 * 300 ms for threads in native code, and the selector thread sits in {@code epoll_wait} for as long as
 * the client lives (plans/performance.md). The fast way, on every JDK from 11: interrupt that thread
 * ({@link #interruptSelectorThread}). The fallback: {@code shutdownNow()}, which exists from Java 21
 * (this code is compiled for 17, hence reflection); on 17-20 without the fast way the exit takes that long.
 */
public final class HttpClientShutdown {
    private HttpClientShutdown() {}

    /** The JDK's selector thread class (Java 11 on; HttpClientShutdownTest checks this JDK's). */
    static final String SELECTOR_THREAD_CLASS = "jdk.internal.net.http.HttpClientImpl$SelectorManager";
    /** The JDK's client says its id last, "(7)", so that its own tests can name the selector thread. */
    private static final Pattern CLIENT_ID = Pattern.compile("\\((\\d+)\\)$");

    /**
     * Interrupts the client's selector thread; true when it was found (or the client never made one).
     * Its loop runs while the thread is not interrupted, so it leaves {@code epoll_wait} at once, closes
     * its selector and ends, without aborting each request one by one as {@link #shutdownNow} does
     * (with 1,000 event streams open that took 80 ms, and the selector 200 ms more to close the
     * connections). For process exit only: the client is unusable afterwards. False when this JDK names
     * things otherwise: then use {@link #shutdownNow}.
     */
    public static boolean interruptSelectorThread(HttpClient client) {
        client = made(client);
        if (client == null) {
            return true; // never made: no thread to stop
        }
        Matcher id = CLIENT_ID.matcher(String.valueOf(client));
        if (!id.find()) {
            return false;
        }
        String name = "HttpClient-" + id.group(1) + "-SelectorManager";
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 16];
        int n = root.enumerate(threads, true);
        for (int i = 0; i < n; i++) {
            Thread t = threads[i];
            if (t.getName().equals(name) && t.getClass().getName().equals(SELECTOR_THREAD_CLASS)) {
                t.interrupt();
                return true;
            }
        }
        return false;
    }

    /** The client itself, or what a {@link LazyHttpClient} made of it; null when it was never made. */
    private static HttpClient made(HttpClient client) {
        return client instanceof LazyHttpClient lazy ? lazy.ifMade() : client;
    }

    /** True when the client was told to stop (Java 21+). */
    public static boolean shutdownNow(HttpClient client) {
        client = made(client);
        if (client == null) {
            return true; // never made: no thread to stop
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
        client = made(client);
        if (client == null) {
            return true; // never made: no thread to stop
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
