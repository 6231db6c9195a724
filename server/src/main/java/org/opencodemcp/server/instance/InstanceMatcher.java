package org.opencodemcp.server.instance;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Finds the instance a tool call means: the exact name, else the one name that contains the query
 * (ignoring case). Anything else is an error that lists the candidates; we never guess.
 */
public final class InstanceMatcher {
    private InstanceMatcher() {}

    /** The outcome: exactly one of {@code instance} or {@code error} is set; {@code candidates} are the names worth showing. */
    public record Match(Instance instance, String error, List<String> candidates) {
        public boolean found() {
            return instance != null;
        }
    }

    public static Match resolve(String query, List<Instance> all) {
        List<Instance> sorted = all.stream().sorted(Comparator.comparing(Instance::name)).toList();
        List<String> names = sorted.stream().map(Instance::name).distinct().toList();
        if (sorted.isEmpty()) {
            return new Match(null, "No OpenCode instances are registered. Run `opencode-connected` on a machine to register one,"
                    + " then call `list_instances`.", List.of());
        }
        String q = query == null ? "" : query.trim();
        if (q.isEmpty()) {
            if (sorted.size() == 1) {
                return new Match(sorted.get(0), null, names);
            }
            return new Match(null, "Name an instance. Available: " + String.join(", ", names), names);
        }
        List<Instance> exact = sorted.stream().filter(i -> i.name().equals(q)).toList();
        if (exact.size() == 1) {
            return new Match(exact.get(0), null, names);
        }
        if (exact.size() > 1) {
            return new Match(null, "Instance name \"" + q + "\" is claimed by several registration files ("
                    + String.join(", ", exact.stream().map(Instance::fileName).toList())
                    + "); see `list_instances`.", names);
        }
        String lower = q.toLowerCase(Locale.ROOT);
        List<Instance> partial = sorted.stream()
                .filter(i -> i.name().toLowerCase(Locale.ROOT).contains(lower)).toList();
        if (partial.size() == 1) {
            return new Match(partial.get(0), null, names);
        }
        if (partial.isEmpty()) {
            return new Match(null, "No instance matches \"" + q + "\". Available: " + String.join(", ", names), names);
        }
        List<String> matching = partial.stream().map(Instance::name).distinct().toList();
        return new Match(null, "\"" + q + "\" matches several instances: " + String.join(", ", matching)
                + ". Use the full name.", matching);
    }
}
