package org.opencodemcp.server.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deleting the registration files of dead instances: {@link PruneRule} decides, and the file is read
 * again first, so a file rewritten meanwhile (a connector that came back) is never deleted. Runs on
 * the registry thread, which then drops the entry.
 */
final class Pruning {
    private static final Logger LOG = LoggerFactory.getLogger(Pruning.class);

    private final Clock clock;
    private final Duration grace;

    Pruning(Clock clock, Duration grace) {
        this.clock = clock;
        this.grace = grace;
    }

    /** Deletes {@code e}'s file when it is dead and unchanged; true when it did (the entry is to be removed). */
    boolean pruneIfDead(LiveInstance e) {
        Instant lifeSign = e.lastSignOfLife();
        if (!PruneRule.due(e.state(), e.since(), lifeSign, clock.instant(), grace)) {
            return false;
        }
        RegistryFile.Read current = RegistryFile.read(e.file());
        if (!(current instanceof RegistryFile.Content c) || !c.stamp().sameContent(e.stampRead())) {
            return false; // rewritten meanwhile: it will be read again
        }
        try {
            Files.deleteIfExists(e.file());
            LOG.warn("pruned {} ({}): {} since {} ({}), last sign of life {}", e.fileName(), e.name(), e.state().label(),
                    e.since(), e.reason(), lifeSign);
            return true;
        } catch (IOException ex) {
            LOG.warn("could not prune {}: {}", e.fileName(), ex.getMessage());
            return false;
        }
    }
}
