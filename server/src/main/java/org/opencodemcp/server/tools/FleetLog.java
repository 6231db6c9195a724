package org.opencodemcp.server.tools;

import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.LoggingLevel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.opencodemcp.server.instance.Instance;
import org.opencodemcp.server.instance.InstanceView;
import org.opencodemcp.server.instance.LiveSession;
import org.opencodemcp.server.opencode.Event;
import org.opencodemcp.server.opencode.EventListener;
import org.opencodemcp.server.opencode.OpenCodeEvent;
import org.opencodemcp.server.registry.InstanceRegistry;
import org.opencodemcp.server.tools.session.WaitNotices;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MCP log notifications ({@code notifications/message}) about the fleet, to the clients that set a log level:
 * {@code warning} when a permission or a question is asked (something waits on a person), {@code info} when an
 * instance comes online, becomes unreachable (or answers as someone else), or its registration goes away.
 * Each client gets only lines at or above its level, and at most {@link LogThrottle#PER_SECOND} a second
 * ({@link LogLevels#route}); the rest become one "and N more" line.
 *
 * <p>Works only while some client has a level (else one boolean check per tick): instance states are compared
 * between registry snapshots; asked permissions and questions come from each live instance's event stream.
 * The first client's level makes the current states the baseline, so nothing already known is announced.
 * Bounded: at most {@link #MAX_QUEUED} lines wait between ticks (more are counted as lost, and said so).
 *
 * <p>Its state lives on the one thread of the {@code timer} it is given (shared with {@link ResourceUpdates}).
 */
public final class FleetLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FleetLog.class);
    static final long TICK_MS = 100;
    static final int MAX_QUEUED = 1000;

    /** Sends one notification on one client connection (the transport's per-session path). */
    @FunctionalInterface
    public interface Notifier {
        void send(String connection, String method, Object params);
    }

    private final InstanceRegistry registry;
    private final LogLevels levels;
    private final Notifier notifier;
    private final boolean replyCalls;
    private final ScheduledExecutorService timer;
    private ScheduledFuture<?> ticks;
    private final ConcurrentLinkedQueue<LogLine> queued = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queuedCount = new AtomicInteger();
    private final AtomicInteger lost = new AtomicInteger();
    private final InstanceListeners listening = new InstanceListeners(this::waits);
    private long seenVersion = -1;
    private Map<String, InstanceView> states = new HashMap<>();

    /**
     * @param replyCalls whether the exact reply call goes into a wait's line (the profile has the reply tools)
     * @param timer a single-thread scheduler, owned by the caller (closing this only stops its own ticks)
     */
    public FleetLog(InstanceRegistry registry, LogLevels levels, Notifier notifier, boolean replyCalls,
            ScheduledExecutorService timer) {
        this.registry = registry;
        this.levels = levels;
        this.notifier = notifier;
        this.replyCalls = replyCalls;
        this.timer = timer;
    }

    public synchronized FleetLog start() {
        ticks = timer.scheduleWithFixedDelay(this::tick, 0, TICK_MS, TimeUnit.MILLISECONDS);
        return this;
    }

    void tick() {
        try {
            if (!levels.any()) {
                idle();
                return;
            }
            InstanceRegistry.Snapshot snapshot = registry.snapshot();
            if (snapshot.version() != seenVersion) {
                boolean baseline = seenVersion == -1;
                seenVersion = snapshot.version();
                compare(snapshot, baseline);
                listening.follow(registry.instances());
            }
            List<LogLine> lines = new ArrayList<>();
            for (LogLine l = queued.poll(); l != null; l = queued.poll()) {
                queuedCount.decrementAndGet();
                lines.add(l);
            }
            for (LogLevels.Delivery d : levels.route(lines, lost.getAndSet(0), LoggingLevel.WARNING, System.nanoTime() / 1_000_000)) {
                send(d);
            }
        } catch (RuntimeException e) {
            LOG.warn("fleet log: {}", e.toString());
        }
    }

    private void send(LogLevels.Delivery d) {
        try {
            notifier.send(d.connection(), McpSchema.METHOD_NOTIFICATION_MESSAGE, d.line().notification());
        } catch (RuntimeException e) {
            LOG.debug("fleet log to {}: {}", d.connection(), e.toString());
        }
    }

    /** An instance that came online, stopped answering, answers as someone else, or whose file went away. */
    private void compare(InstanceRegistry.Snapshot snapshot, boolean baseline) {
        Map<String, InstanceView> now = new HashMap<>();
        for (InstanceView v : snapshot.instances()) {
            now.put(v.name(), v);
        }
        if (!baseline) {
            for (InstanceView v : now.values()) {
                InstanceView before = states.get(v.name());
                if (before == null || before.state() != v.state()) {
                    LogLine line = stateLine(v);
                    if (line != null) {
                        enqueue(line);
                    }
                }
            }
            for (InstanceView gone : states.values()) {
                if (!now.containsKey(gone.name())) {
                    enqueue(new LogLine(LoggingLevel.INFO, gone.name() + " is gone: its registration was removed"));
                }
            }
        }
        states = now;
    }

    private static LogLine stateLine(InstanceView v) {
        String text = switch (v.state()) {
            case ONLINE -> v.name() + " is online" + (v.version() == null ? "" : " (opencode " + v.version() + ")")
                    + (v.cwd() == null ? "" : " in " + v.cwd());
            case UNREACHABLE -> v.name() + " is unreachable" + (v.reason() == null ? "" : ": " + v.reason());
            case MISMATCH -> v.name() + " answers as another instance" + (v.reason() == null ? "" : ": " + v.reason());
            default -> null; // probing is a passing state; an invalid file is list_instances' business
        };
        return text == null ? null : new LogLine(LoggingLevel.INFO, text);
    }

    /** Turns an instance's asked permissions and questions into warning lines. */
    private EventListener waits(Instance k) {
        return new EventListener() {
            @Override
            public void onEvent(OpenCodeEvent event) {
                Event e = event.typed();
                if (e instanceof Event.PermissionAsked p) {
                    enqueue(new LogLine(LoggingLevel.WARNING,
                            WaitNotices.permission(k.name(), p.permission(), title(k, p.sessionId()), replyCalls)));
                } else if (e instanceof Event.QuestionAsked q) {
                    enqueue(new LogLine(LoggingLevel.WARNING,
                            WaitNotices.question(k.name(), q.question(), title(k, q.sessionId()), replyCalls)));
                }
            }
        };
    }

    private static String title(Instance i, String sessionId) {
        LiveSession s = sessionId == null ? null : i.activity().session(sessionId);
        return s == null ? null : s.title();
    }

    private void enqueue(LogLine line) {
        if (queuedCount.incrementAndGet() > MAX_QUEUED) {
            queuedCount.decrementAndGet();
            lost.incrementAndGet();
            return;
        }
        queued.add(line);
    }

    /** No client wants messages: forget the baseline and stop listening. */
    private void idle() {
        if (seenVersion == -1) {
            return;
        }
        seenVersion = -1;
        states = new HashMap<>();
        queued.clear();
        queuedCount.set(0);
        lost.set(0);
        listening.closeAll();
    }

    @Override
    public synchronized void close() {
        if (ticks != null) {
            ticks.cancel(false);
        }
        listening.closeAll();
    }
}
