package org.opencodemcp.server.registry;

import java.time.Duration;
import java.time.Instant;
import org.opencodemcp.server.instance.InstanceState;

/**
 * When a registration may be deleted: only one that has been unreachable (or answering for someone
 * else) for longer than the grace AND whose writer has shown no sign of life (heartbeat field or
 * file time) for as long. A connector that is merely asleep or behind a rebooting relay keeps
 * rewriting its heartbeat, so it is never pruned. Pure: the registry thread reads the file again
 * before it deletes anything.
 */
final class PruneRule {
    private PruneRule() {}

    /**
     * @param since      when the entry entered {@code state}
     * @param lifeSign   the writer's last sign of life, or null when it never gave one
     */
    static boolean due(InstanceState state, Instant since, Instant lifeSign, Instant now, Duration grace) {
        if (state != InstanceState.UNREACHABLE && state != InstanceState.MISMATCH) {
            return false;
        }
        if (Duration.between(since, now).compareTo(grace) < 0) {
            return false;
        }
        return lifeSign == null || Duration.between(lifeSign, now).compareTo(grace) >= 0;
    }
}
