package org.opencodemcp.server.threads;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one maker of the server's background threads. They are daemons: the process ends when MCP's
 * stdin closes (or Jetty stops), never because a timer or pool is still alive. Each has a name, so
 * a thread dump says whose thread it is.
 */
public final class DaemonThreads {
    private DaemonThreads() {}

    /** Every thread is called {@code name}: for a single-thread executor. */
    public static ThreadFactory named(String name) {
        return r -> thread(name, r);
    }

    /** Threads called {@code prefix-1}, {@code prefix-2}, ...: for a pool. */
    public static ThreadFactory numbered(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> thread(prefix + "-" + n.incrementAndGet(), r);
    }

    /** One daemon thread, not started. */
    public static Thread thread(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
