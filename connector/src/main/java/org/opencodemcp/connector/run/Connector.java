package org.opencodemcp.connector.run;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.opencodemcp.connector.ConnectorVersion;
import org.opencodemcp.connector.config.Settings;
import org.opencodemcp.connector.link.Link;
import org.opencodemcp.connector.link.LinkInvariant;
import org.opencodemcp.connector.link.LocalLink;
import org.opencodemcp.connector.link.RelayLink;
import org.opencodemcp.connector.opencode.FreePort;
import org.opencodemcp.connector.opencode.Health;
import org.opencodemcp.connector.opencode.OpenCodeProcess;
import org.opencodemcp.connector.opencode.ServerCredential;
import org.opencodemcp.connector.opencode.StartupException;
import org.opencodemcp.contract.InstanceName;
import org.opencodemcp.connector.registry.LocalRegistryStore;
import org.opencodemcp.contract.Registration;
import org.opencodemcp.connector.relay.RelayException;
import org.opencodemcp.connector.relay.RelaySession;
import org.opencodemcp.connector.relay.RelayTarget;
import org.opencodemcp.connector.relay.SshConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of opencode-connected: opencode plus the link that keeps it registered. Usable in-process:
 * {@code start(settings)}, then {@code awaitExit()} (returns when opencode exits) or {@code stop()}
 * (what SIGTERM does). Either way the registration is removed, the tunnel closed and opencode's exit
 * code returned.
 */
public final class Connector implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Connector.class);
    /** Exit code when the relay link gave up (the same as for a relay problem found at start-up). */
    public static final int LINK_LOST = 2;

    private final Settings settings;
    private final OpenCodeProcess opencode;
    private final Link link;
    private final CountDownLatch finish = new CountDownLatch(1);
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private final Object shutdownLock = new Object();
    private volatile String linkFailure;
    private volatile LinkStateFile stateFile;
    private Integer exitCode;

    private Connector(Settings settings, OpenCodeProcess opencode, Link link) {
        this.settings = settings;
        this.opencode = opencode;
        this.link = link;
    }

    /**
     * Logs in to the relay (if any) first, so that a wrong host key or login fails before opencode's
     * TUI takes the screen; then starts opencode, waits until it is healthy and starts the link.
     */
    public static Connector start(Settings settings) throws ConnectorException {
        Clock clock = Clock.systemUTC();
        RelaySession preopened = null;
        if (settings.relay().isPresent()) {
            try {
                preopened = SshConnector.open(settings.relay().get(), settings.ssh());
            } catch (RelayException e) {
                if (e.permanent()) {
                    throw new ConnectorException(e.getMessage(), 2, e);
                }
                LOG.warn("{} -- starting opencode anyway; the connector keeps trying", e.getMessage());
            }
        }
        OpenCodeProcess opencode = null;
        try {
            int port = FreePort.pick(settings.portRange().first(), settings.portRange().last());
            Optional<ServerCredential> credential = LaunchSecret.forOpencode(settings);
            opencode = OpenCodeProcess.start(settings.command(), port, credential);
            Health health = opencode.awaitHealthy(settings.timing().startupTimeout());
            String cwd = opencode.directory().orElse(settings.cwd().toAbsolutePath().toString());
            String hostname = Hostnames.local();
            String name = settings.name().isPresent() ? validName(settings.name().get()) : InstanceName.derive(hostname, cwd);
            ConnectorVersion me = ConnectorVersion.current();
            Registration base = new Registration(name, hostname, port, port, cwd, Instant.now(clock), null,
                    UUID.randomUUID().toString(), health.version(), ProcessHandle.current().pid(), me.name(),
                    me.version());
            Link link = link(settings, preopened, base, opencode, LaunchSecret.published(settings, credential), clock);
            Connector connector = new Connector(settings, opencode, link);
            link.onGiveUp(connector::linkGaveUp);
            opencode.onExit(connector.finish::countDown);
            link.start();
            connector.stateFile = LinkStateFile.start(settings.env(), name, link::state);
            if (settings.relay().isPresent()) {
                connector.watchLink(clock);
            }
            LOG.info("instance {}: {}", name, link.state());
            return connector;
        } catch (StartupException e) {
            close(preopened);
            throw new ConnectorException(e.getMessage(), e.exitCode(), e);
        } catch (IOException | RuntimeException e) {
            close(preopened);
            int code = opencode == null ? 1 : opencode.stop(settings.timing().stopTimeout());
            throw new ConnectorException(e.getMessage(), code == 0 ? 1 : code, e);
        }
    }

    private static Link link(Settings s, RelaySession preopened, Registration base, OpenCodeProcess opencode,
                             Optional<ServerCredential> published, Clock clock) {
        if (s.relay().isEmpty()) {
            return new LocalLink(new LocalRegistryStore(Path.of(s.registryDir()), published), base, opencode::probe,
                    s.timing(), clock);
        }
        RelayTarget target = s.relay().get();
        return new RelayLink(() -> SshConnector.open(target, s.ssh()), preopened, s.registryDir(), base,
                opencode.auth(), opencode::probe, s.timing(), clock, s.allowExposedTunnel()).publishing(published);
    }

    private static void close(RelaySession s) {
        if (s != null) {
            s.close();
        }
    }

    /** Checks {@link LinkInvariant} every second; a violation that lasts 5 s stops the connector with the reason. */
    private void watchLink(Clock clock) {
        Thread watch = new Thread(() -> {
            Instant brokenSince = null;
            while (finish.getCount() > 0) {
                Optional<String> v = LinkInvariant.violation(link, settings.timing(), clock.instant());
                if (v.isEmpty()) {
                    brokenSince = null;
                } else if (brokenSince == null) {
                    brokenSince = clock.instant();
                    LOG.warn("relay link: {}", v.get());
                } else if (Duration.between(brokenSince, clock.instant()).toSeconds() >= 5) {
                    linkGaveUp(v.get());
                    return;
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "opencode-connected-link-watch");
        watch.setDaemon(true);
        watch.start();
    }

    /** Waits until opencode exits or {@link #requestStop()} is called, cleans up, returns opencode's exit code. */
    public int awaitExit() {
        try {
            finish.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            requestStop();
        }
        return shutdown();
    }

    /** What SIGTERM, SIGINT and SIGHUP do: stop without blocking the caller (a signal handler). */
    public void requestStop() {
        if (stopRequested.compareAndSet(false, true)) {
            LOG.info("stop requested");
        }
        finish.countDown();
    }

    /**
     * The link could not keep opencode registered and stopped trying: stop opencode too and exit with
     * {@link #LINK_LOST}, so nobody believes a machine is connected when the assistant cannot see it.
     */
    private void linkGaveUp(String reason) {
        linkFailure = reason;
        LOG.error("opencode-connected cannot keep opencode registered; stopping it. Reason: {}", reason);
        requestStop();
    }

    /** Stops and waits for the cleanup; returns opencode's exit code. */
    public int stop() {
        requestStop();
        return shutdown();
    }

    @Override
    public void close() {
        stop();
    }

    private int shutdown() {
        synchronized (shutdownLock) {
            if (exitCode != null) {
                return exitCode;
            }
            if (stopRequested.get()) {
                opencode.terminate(); // SIGTERM now; it exits while the registration is removed
            } else {
                LOG.info("opencode exited");
            }
            link.close();
            if (stateFile != null) {
                stateFile.close();
            }
            exitCode = opencode.stop(settings.timing().stopTimeout());
            if (!stopRequested.get() && exitCode != 0) {
                // nobody asked for this: say so plainly (the code alone, 137, means little to most people)
                LOG.error("opencode stopped unexpectedly (exit code {}{}); opencode-connected exits with the same code",
                        exitCode,
                        exitCode > 128 && exitCode < 160 ? ", killed by signal " + (exitCode - 128) : "");
            }
            LOG.info("opencode exit code {}; connector done", exitCode);
            if (linkFailure != null) {
                LOG.error("opencode-connected stopped (exit code {}) because: {}", LINK_LOST, linkFailure);
                exitCode = LINK_LOST;
            }
            return exitCode;
        }
    }

    public Optional<Registration> registration() {
        return link.current();
    }

    public String state() {
        return link.state();
    }

    public Link link() {
        return link;
    }

    public int localPort() {
        return opencode.port();
    }

    public long opencodePid() {
        return opencode.pid();
    }

    private static String validName(String name) {
        String problem = InstanceName.problem(name);
        if (problem != null) {
            throw new IllegalArgumentException("instance " + problem + " (set it with --name or INSTANCE_NAME)");
        }
        return name;
    }
}
