package org.opencodemcp.testkit;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Last line of defence against leaked opencode processes: a JVM shutdown hook kills whatever a test
 * started and did not stop (e.g. a test that crashed before close(), or a JVM ended by surefire).
 */
final class ProcessReaper {
    private static final Set<ProcessHandle> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ProcessReaper::killAll, "opencode-reaper"));
    }

    private ProcessReaper() {}

    static void register(ProcessHandle process) {
        RUNNING.add(process);
    }

    static void unregister(ProcessHandle process) {
        RUNNING.remove(process);
    }

    /** SIGKILL, children first so none is left behind re-parented to init. */
    static void killTree(ProcessHandle process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static void killAll() {
        for (ProcessHandle process : RUNNING) {
            killTree(process);
        }
    }
}
