package org.opencodemcp.server.tools;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A map that holds at most {@code capacity} entries: putting one more drops the eldest, either the least
 * recently used ({@link #leastRecentlyUsed}: a get or put of a key makes it the newest; iterating does
 * not) or the first put ({@link #oldestFirst}: putting a key again keeps its place).
 *
 * <p>Not thread-safe: its owners ({@link LogLevels}, {@link Cancellations}, {@link SubscriptionGate}, the HTTP
 * transport's known sessions) change it under their own lock, because what they do needs more than one call at once (look up, then
 * add or check a size).
 */
public final class BoundedMap<K, V> extends LinkedHashMap<K, V> {
    private static final long serialVersionUID = 1L;
    private final int capacity;

    private BoundedMap(int capacity, boolean accessOrder) {
        super(16, 0.75f, accessOrder);
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.capacity = capacity;
    }

    /** Drops the entry used longest ago (a get or a put is a use). */
    public static <K, V> BoundedMap<K, V> leastRecentlyUsed(int capacity) {
        return new BoundedMap<>(capacity, true);
    }

    /** Drops the entry put first. */
    public static <K, V> BoundedMap<K, V> oldestFirst(int capacity) {
        return new BoundedMap<>(capacity, false);
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > capacity;
    }
}
