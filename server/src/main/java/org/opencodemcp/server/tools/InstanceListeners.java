package org.opencodemcp.server.tools;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.opencodemcp.server.instance.Instance;
import org.opencodemcp.server.opencode.EventListener;

/**
 * One event listener per live instance, for a watcher that follows every instance's events (resource updates,
 * the fleet log). Not thread-safe: used from the watcher's own timer thread. At most one entry per instance.
 */
final class InstanceListeners {
    private final Function<Instance, EventListener> make;
    private final Map<Instance, AutoCloseable> listening = new HashMap<>();

    InstanceListeners(Function<Instance, EventListener> make) {
        this.make = make;
    }

    /** Listens to every instance in {@code current} not yet listened to; stops listening to those gone. */
    void follow(Collection<Instance> current) {
        Set<Instance> live = new HashSet<>(current);
        listening.entrySet().removeIf(e -> {
            if (live.contains(e.getKey())) {
                return false;
            }
            close(e.getValue());
            return true;
        });
        for (Instance i : live) {
            listening.computeIfAbsent(i, k -> k.subscribe(make.apply(k)));
        }
    }

    void closeAll() {
        listening.values().forEach(InstanceListeners::close);
        listening.clear();
    }

    private static void close(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // removing a listener cannot really fail
        }
    }
}
