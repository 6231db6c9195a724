package org.opencodemcp.connector.link;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.opencodemcp.connector.config.Timing;
import org.opencodemcp.connector.opencode.Health;
import org.opencodemcp.connector.opencode.ServerCredential;
import org.opencodemcp.contract.Registration;
import org.opencodemcp.connector.registry.SftpRegistryStore;
import org.opencodemcp.connector.relay.RelayException;
import org.opencodemcp.connector.relay.RelaySession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relay mode. One thread owns the SSH session and runs this cycle until closed:
 * log in, reverse-forward relay port 0 to opencode, check one round trip through the tunnel, and only
 * then write the registration with the allocated port; heartbeat it; when the session drops or the
 * round trip keeps failing, close it, wait (exponential backoff with jitter) and start over, which
 * registers the new port. On close it removes the registration (only if still ours) and the tunnel.
 */
public final class RelayLink implements Link {

    private static final Logger LOG = LoggerFactory.getLogger(RelayLink.class);
    private static final Duration TICK = Duration.ofMillis(500);

    private final RelayOpener opener;
    private final String registryDir;
    private final Registration base;
    private final Optional<String> auth;
    private final HealthCheck localHealth;
    private final Timing timing;
    private final Clock clock;
    private final Backoff backoff;
    private final Pause pause = new Pause();
    private final Consumer<StartupStep> beforeStep;
    private final TunnelChecks checks;
    private final CountDownLatch firstAttempt = new CountDownLatch(1);
    private final AtomicInteger registrations = new AtomicInteger();

    private volatile RelaySession preopened;
    private volatile RelaySession session;
    private volatile Registration current;
    private volatile String state = "connecting";
    private volatile Consumer<String> onGiveUp = reason -> { };
    private boolean wroteOnce;
    private Instant blockedSince; // first of an unbroken run of attempts that reached the relay yet did not register
    private Thread thread;
    private volatile Optional<ServerCredential> published = Optional.empty();

    public RelayLink(RelayOpener opener, RelaySession preopened, String registryDir, Registration base,
                     Optional<String> auth, HealthCheck localHealth, Timing timing, Clock clock,
                     boolean allowExposedTunnel) {
        this(opener, preopened, registryDir, base, auth, localHealth, timing, clock, allowExposedTunnel, step -> { });
    }

    /** With a hook run on the link's thread just before each start-up wait (fault injection in tests). */
    RelayLink(RelayOpener opener, RelaySession preopened, String registryDir, Registration base,
              Optional<String> auth, HealthCheck localHealth, Timing timing, Clock clock,
              boolean allowExposedTunnel, Consumer<StartupStep> beforeStep) {
        this.beforeStep = beforeStep;
        this.checks = new TunnelChecks(pause, beforeStep, auth, timing.probeTimeout(), allowExposedTunnel);
        this.opener = opener;
        this.preopened = preopened;
        this.registryDir = registryDir;
        this.base = base;
        this.auth = auth;
        this.localHealth = localHealth;
        this.timing = timing;
        this.clock = clock;
        this.backoff = new Backoff(timing.reconnectMin(), timing.reconnectMax());
    }

    /** The secret to write as {@code <name>.auth} beside every registration (before {@link #start()}). */
    public RelayLink publishing(Optional<ServerCredential> secret) {
        this.published = secret;
        return this;
    }

    @Override
    public void onGiveUp(Consumer<String> listener) {
        onGiveUp = listener;
    }

    @Override
    public void start() {
        thread = new Thread(this::runGuarded, "opencode-connected-relay");
        thread.setDaemon(true); // never keeps the JVM alive; close() ends it in order
        thread.start();
        try {
            firstAttempt.await(timing.probeTimeout().toMillis() * 3, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The link must never end silently while opencode runs: if its loop itself dies, the connector is told. */
    private void runGuarded() {
        try {
            run();
        } catch (Throwable t) {
            state = "failed: " + t;
            LOG.error("the relay link failed unexpectedly", t);
            onGiveUp.accept("the relay link failed unexpectedly: " + t);
        }
    }

    private void run() {
        while (!pause.woken()) {
            Instant upSince = null;
            boolean reachedRelay = false;
            String problem = null;
            try {
                beforeStep.accept(StartupStep.LOGIN);
                RelaySession s = preopened != null ? preopened : opener.open();
                preopened = null;
                session = s;
                reachedRelay = true;
                TunnelChecks.failIfInterrupted("logging in to the relay");
                beforeStep.accept(StartupStep.FORWARD);
                int port = s.reverseForward(base.localPort());
                TunnelChecks.failIfInterrupted("opening the reverse tunnel");
                checks.exposure(s, port);
                SftpRegistryStore store = new SftpRegistryStore(s, registryDir, published);
                boolean roundTrips = checks.firstRoundTrip(s, port);
                TunnelChecks.failIfInterrupted("checking the tunnel");
                Registration r = base.connected(port, clock.instant());
                beforeStep.accept(StartupStep.REGISTER);
                store.write(r);
                if (Thread.interrupted()) {
                    LOG.debug("interrupted while writing the registration, which was written all the same");
                }
                current = r;
                wroteOnce = true;
                blockedSince = null;
                upSince = clock.instant();
                registrations.incrementAndGet();
                state = "registered in " + store.location() + " (relay port " + port + ")";
                LOG.info("registered {} in {} with relay port {}", r.name(), store.location(), port);
                firstAttempt.countDown();
                heartbeats(s, store, port, roundTrips);
            } catch (ExposedTunnelException e) {
                closeSession(); // at once: opencode must not stay reachable from the network
                state = "stopped: " + e.getMessage();
                LOG.error("{}", e.getMessage());
                onGiveUp.accept(e.getMessage());
                break;
            } catch (RelayException e) {
                problem = e.getMessage();
                state = "reconnecting; last problem: " + problem;
                reachedRelay |= e.permanent(); // a refused login or host key: reachable, and it will not fix itself
                if (e.permanent()) {
                    LOG.error("{}", e.getMessage());
                } else {
                    LOG.warn("{}", e.getMessage());
                }
            } catch (IOException | RuntimeException e) {
                problem = String.valueOf(e.getMessage());
                state = "reconnecting; last problem: " + problem;
                LOG.warn("relay link failed: {}", e.getMessage(), e);
            } finally {
                firstAttempt.countDown();
            }
            if (Thread.interrupted()) {
                LOG.debug("cleared a thread interrupt left by the failed attempt");
            }
            if (pause.woken()) {
                break;
            }
            closeSession();
            current = null;
            if (upSince != null && Duration.between(upSince, clock.instant()).compareTo(timing.stableAfter()) >= 0) {
                backoff.reset();
            }
            if (giveUp(reachedRelay && problem != null, problem)) {
                break;
            }
            Duration delay = backoff.next();
            String since = blockedSince == null ? "" : " (unregistered since " + blockedSince + ")";
            state = problem == null ? "reconnecting" : "reconnecting; last problem: " + problem + since;
            LOG.warn("not registered: reconnecting to the relay in {} ms{}", delay.toMillis(), since);
            pause.sleep(delay);
        }
        removeRegistration();
        closeSession();
    }

    /**
     * An unreachable relay (network down, laptop asleep) is retried for ever, visibly. A relay that can be
     * reached but will not take the registration is given {@code giveUpAfter}; then the connector stops
     * with the reason rather than leave opencode running where no one can see it.
     */
    private boolean giveUp(boolean blocked, String problem) {
        if (!blocked) {
            blockedSince = null;
            return false;
        }
        if (blockedSince == null) {
            blockedSince = clock.instant();
        }
        if (Duration.between(blockedSince, clock.instant()).compareTo(timing.giveUpAfter()) < 0) {
            return false;
        }
        String reason = "the relay has refused the registration for " + timing.giveUpAfter().toSeconds()
                + " s; last problem: " + problem;
        state = "gave up: " + reason;
        LOG.error("giving up: {}", reason);
        onGiveUp.accept(reason);
        return true;
    }

    private void heartbeats(RelaySession s, SftpRegistryStore store, int port, boolean roundTrips) {
        Instant nextBeat = clock.instant().plus(timing.heartbeat());
        int failures = 0;
        while (!pause.sleep(TICK)) {
            if (Thread.interrupted()) {
                LOG.debug("cleared a thread interrupt while heartbeating");
            }
            if (!s.isConnected()) {
                LOG.warn("the relay session dropped");
                state = "relay session dropped";
                return;
            }
            if (clock.instant().isBefore(nextBeat)) {
                continue;
            }
            nextBeat = clock.instant().plus(timing.heartbeat());
            try {
                Health h = roundTrips ? Health.parse(s.get(port, "/global/health", auth, timing.probeTimeout()))
                        : localHealth.check(timing.probeTimeout());
                if (!h.healthy()) {
                    throw new IOException("opencode answered healthy=false");
                }
                Registration r = current.heartbeat(clock.instant());
                store.write(r); // also brings the file back if the server pruned it
                current = r;
                failures = 0;
            } catch (IOException e) {
                Thread.interrupted(); // an interrupted read fails this heartbeat only
                failures++;
                LOG.warn("heartbeat {} of {} failed: {}", failures, timing.failuresBeforeReconnect(), e.getMessage());
                if (failures >= timing.failuresBeforeReconnect()) {
                    LOG.warn("the tunnel stopped working; reconnecting");
                    state = "tunnel stopped working";
                    return;
                }
            }
        }
    }

    private void removeRegistration() {
        if (!wroteOnce) {
            return;
        }
        RelaySession s = session;
        try {
            if (s == null || !s.isConnected()) {
                // the file may still be on the relay with a dead port: one quick attempt to take it away
                s = opener.open();
                session = s;
            }
            if (new SftpRegistryStore(s, registryDir, published).removeIfOwned(base.name(), base.instanceId())) {
                LOG.info("removed registration {} from the relay", base.name());
            } else {
                LOG.info("registration {} on the relay is no longer ours; left in place", base.name());
            }
        } catch (RelayException | IOException | RuntimeException e) {
            LOG.warn("could not remove registration {} from the relay ({}); the server prunes it once stale",
                    base.name(), e.getMessage());
        }
        current = null;
    }

    private void closeSession() {
        RelaySession s = session;
        session = null;
        if (s != null) {
            s.close();
        }
    }

    @Override
    public Optional<Registration> current() {
        return Optional.ofNullable(current);
    }

    /** How many times a registration was written after a (re)connect; tests wait on it. */
    public int registrations() {
        return registrations.get();
    }

    @Override
    public String state() {
        return state;
    }

    @Override
    public void close() {
        pause.wake();
        if (thread == null) {
            return;
        }
        try {
            thread.join(timing.stopTimeout().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("relay link did not stop in {} s; dropping the session", timing.stopTimeout().toSeconds());
            closeSession();
        }
    }
}
