package org.opencodemcp.connector.link;

import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import org.opencodemcp.connector.config.Timing;
import org.opencodemcp.contract.Registration;
import org.opencodemcp.connector.registry.RegistryStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local-only mode: the registration goes into a directory on this machine with {@code port} =
 * opencode's own port. Unlike the original script it is heartbeated (a pruned file comes back) and
 * removed on exit.
 */
public final class LocalLink implements Link {

    private static final Logger LOG = LoggerFactory.getLogger(LocalLink.class);

    private final RegistryStore store;
    private final Registration base;
    private final HealthCheck health;
    private final Timing timing;
    private final Clock clock;
    private final Pause pause = new Pause();
    private volatile Registration current;
    private Thread thread;

    public LocalLink(RegistryStore store, Registration base, HealthCheck health, Timing timing, Clock clock) {
        this.store = store;
        this.base = base;
        this.health = health;
        this.timing = timing;
        this.clock = clock;
    }

    /** Writes the registration now; a registry that cannot be written is an error the person must see. */
    @Override
    public void start() {
        Registration r = base.connected(base.localPort(), clock.instant());
        try {
            store.write(r);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write the registration into " + store.location() + ": "
                    + e.getMessage() + ". Fix the directory's permissions or choose another with --registry-dir.", e);
        }
        current = r;
        LOG.info("registered {} in {} (port {})", r.name(), store.location(), r.port());
        thread = new Thread(this::heartbeats, "opencode-connected-heartbeat");
        thread.setDaemon(true);
        thread.start();
    }

    private void heartbeats() {
        while (!pause.sleep(timing.heartbeat())) {
            if (Thread.interrupted()) {
                LOG.debug("heartbeat thread interrupted; carrying on (only close() stops it)");
            }
            try {
                health.check(timing.probeTimeout());
                Registration r = current.heartbeat(clock.instant());
                store.write(r); // also brings the file back if the server pruned it
                current = r;
            } catch (IOException e) {
                LOG.warn("heartbeat skipped: {}", e.getMessage());
            }
        }
    }

    @Override
    public Optional<Registration> current() {
        return Optional.ofNullable(current);
    }

    @Override
    public String state() {
        return "registered in " + store.location() + " (local-only, port " + base.localPort() + ")";
    }

    @Override
    public void close() {
        pause.wake();
        if (thread != null) {
            try {
                thread.join(timing.probeTimeout().toMillis() + 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            if (store.removeIfOwned(base.name(), base.instanceId())) {
                LOG.info("removed registration {} from {}", base.name(), store.location());
            } else {
                LOG.info("registration {} in {} is no longer ours; left in place", base.name(), store.location());
            }
        } catch (IOException e) {
            LOG.warn("could not remove registration {}: {}", base.name(), e.getMessage());
        }
        current = null;
    }
}
