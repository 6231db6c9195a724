package org.opencodemcp.server.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class BoundedMapTest {

    @Test
    void neverHoldsMoreThanItsCapacity() {
        Map<Integer, String> m = BoundedMap.leastRecentlyUsed(3);
        for (int i = 0; i < 100; i++) {
            m.put(i, "v" + i);
            assertThat(m.size()).isLessThanOrEqualTo(3);
        }
        assertThat(m).containsOnlyKeys(97, 98, 99);
    }

    @Test
    void leastRecentlyUsedDropsTheKeyUsedLongestAgoAGetOrAPutIsAUse() {
        Map<String, Integer> m = BoundedMap.leastRecentlyUsed(3);
        m.put("a", 1);
        m.put("b", 2);
        m.put("c", 3);
        m.get("a");            // a is now the newest: b is the eldest
        m.put("d", 4);
        assertThat(m).containsOnlyKeys("a", "c", "d");
        m.put("c", 30);        // a put is a use too: a is the eldest now
        m.put("e", 5);
        assertThat(m.keySet()).containsExactly("d", "c", "e");
    }

    @Test
    void iteratingIsNotAUse() {
        Map<String, Integer> m = BoundedMap.leastRecentlyUsed(2);
        m.put("a", 1);
        m.put("b", 2);
        for (Map.Entry<String, Integer> e : m.entrySet()) {
            e.getValue();
        }
        m.put("c", 3);
        assertThat(m).containsOnlyKeys("b", "c");
    }

    @Test
    void oldestFirstDropsTheFirstPutEvenWhenUsedOrPutAgain() {
        Map<String, Integer> m = BoundedMap.oldestFirst(3);
        m.put("a", 1);
        m.put("b", 2);
        m.put("c", 3);
        m.get("a");
        m.put("a", 10);
        m.put("d", 4);
        assertThat(m.keySet()).containsExactly("b", "c", "d");
        assertThat(m.remove("c")).isEqualTo(3);
        m.put("e", 5);
        assertThat(m.keySet()).containsExactly("b", "d", "e");
    }

    @Test
    void aCapacityBelowOneIsRefused() {
        assertThatThrownBy(() -> BoundedMap.oldestFirst(0)).isInstanceOf(IllegalArgumentException.class);
    }

    /** The owners' way: every change under their lock, from many threads at once (as transport threads do). */
    @Test
    void underItsOwnersLockManyThreadsKeepTheCap() throws Exception {
        Map<Integer, Integer> m = BoundedMap.leastRecentlyUsed(50);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int base = t * 10_000;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 5_000; i++) {
                        synchronized (m) {
                            m.put(base + i, i);
                            m.get(base + i / 2);
                            assertThat(m.size()).isLessThanOrEqualTo(50);
                        }
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(m).hasSize(50);
    }
}
