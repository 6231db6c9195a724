package org.opencodemcp.server.registry;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import org.opencodemcp.contract.Registration;
import org.opencodemcp.server.instance.EventFeed;
import org.opencodemcp.server.instance.Instance;
import org.opencodemcp.server.instance.InstanceState;
import org.opencodemcp.server.instance.InstanceView;
import org.opencodemcp.server.instance.RetryPolicy;
import org.opencodemcp.server.instance.SessionActivity;
import org.opencodemcp.server.instance.SessionActivityWriter;
import org.opencodemcp.server.opencode.EventListener;
import org.opencodemcp.server.opencode.EventStream;
import org.opencodemcp.server.opencode.OpenCodeClient;
import org.opencodemcp.server.opencode.OpenCodeEvent;

/**
 * One entry of the registry: a registration file and what we know about the OpenCode server it
 * names. Tools and jobs see it as the read-only {@link Instance}; every mutator is package-private,
 * called on the registry thread by {@link EntryLifecycle} and the parts it drives ({@link Probing},
 * {@link EventFeeds}).
 *
 * <p>Who writes what:
 * <ul>
 * <li>the registry thread: the file stamp, registration, state, reason, since, failures, version,
 *     generation, duplicate flag, client, stream and retry timer (the lifecycle);
 * <li>HTTP-client threads: {@code lastSeen} and the {@link SessionActivity} (event dispatch and the
 *     status/permission/question seeds), which the registry thread only clears on a new target;
 * <li>tool and job threads: the listener list, through {@link #subscribe} and the handle it returns.
 * </ul>
 * Fields are volatile and the activity's maps concurrent, so readers on any thread see recent values.
 */
final class LiveInstance implements Instance {

    /** Told when the event stream of the current generation ends or something visible changes. */
    interface Owner {
        /**
         * @param connected whether the stream delivered any event before it ended
         * @param lived     how long it was open
         */
        void streamClosed(LiveInstance instance, long generation, Throwable cause, boolean connected, Duration lived);

        void activityChanged(LiveInstance instance);
    }

    private final Path file;
    private final Owner owner;
    /** The only writer of this instance's session activity; tools read {@link #activity()}. */
    private final SessionActivityWriter activityWriter;
    private final EventFeed feed = new EventFeed(RetryPolicy.STREAM);
    private final Clock clock;
    private final List<EventListener> listeners = new CopyOnWriteArrayList<>();

    // Written on the registry thread only (lastSeen also by event dispatch); volatile so tool threads read a recent value.
    private volatile RegistryFile.Stamp stamp;
    private volatile Registration registration;
    private volatile InstanceState state = InstanceState.PROBING;
    private volatile String reason;
    private volatile String version;
    private volatile Instant since;
    private volatile int failures;
    private volatile Instant lastSeen;
    private volatile OpenCodeClient client;
    private volatile EventStream stream;
    /** Bumped whenever the target changes, so late probe results and stream closes of an old target are ignored. */
    private volatile long generation;
    private volatile boolean duplicate;
    private volatile ScheduledFuture<?> retry;

    LiveInstance(Path file, Owner owner, Clock clock) {
        this.file = file;
        this.owner = owner;
        this.clock = clock;
        this.activityWriter = new SessionActivityWriter(clock);
        this.since = clock.instant();
    }

    @Override
    public Path file() {
        return file;
    }

    @Override
    public String fileName() {
        return file.getFileName().toString();
    }

    @Override
    public String name() {
        Registration r = registration;
        if (r != null) {
            return r.name();
        }
        String n = fileName();
        return n.endsWith(".json") ? n.substring(0, n.length() - 5) : n;
    }

    @Override
    public Registration registration() {
        return registration;
    }

    @Override
    public InstanceState state() {
        return state;
    }

    @Override
    public String reason() {
        return reason;
    }

    String version() {
        return version;
    }

    @Override
    public OpenCodeClient client() {
        return client;
    }

    @Override
    public SessionActivity activity() {
        return activityWriter.activity();
    }

    /** The event stream's route, failures and polling state (registry thread only). */
    EventFeed feed() {
        return feed;
    }

    /** The open event stream, or null. */
    EventStream stream() {
        return stream;
    }

    @Override
    public AutoCloseable subscribe(EventListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public Instant since() {
        return since;
    }

    int failures() {
        return failures;
    }

    long generation() {
        return generation;
    }

    @Override
    public boolean duplicate() {
        return duplicate;
    }

    /** A digest of the file content this entry was last built from. */
    RegistryFile.Stamp stampRead() {
        return stamp;
    }

    @Override
    public Instant lastSignOfLife() {
        Registration r = registration;
        RegistryFile.Stamp c = stamp;
        Instant a = r == null ? null : r.heartbeatAt();
        Instant b = c == null ? null : c.modified();
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }

    // ---- mutators: registry thread only (package-private) ----------------------------------

    void setStamp(RegistryFile.Stamp stamp) {
        this.stamp = stamp;
    }

    void setRegistration(Registration registration) {
        this.registration = registration;
    }

    void transition(InstanceState next, String why, Instant at) {
        if (next != state) {
            since = at;
            if (next == InstanceState.ONLINE || next == InstanceState.PROBING || next == InstanceState.INVALID) {
                failures = 0;
            }
        }
        state = next;
        reason = why;
    }

    void setReason(String why) {
        reason = why;
    }

    void failed() {
        failures++;
    }

    void markSeen(Instant at, String reportedVersion) {
        lastSeen = at;
        version = reportedVersion;
        failures = 0;
    }

    void markDuplicate(boolean dup) {
        duplicate = dup;
    }

    void nextGeneration() {
        generation++;
    }

    /** Forgets the sessions' activity: the target changed or went away. */
    void clearActivity() {
        activityWriter.clear();
    }

    void useClient(OpenCodeClient c) {
        client = c;
    }

    boolean streamOpen() {
        EventStream s = stream;
        return s != null && s.isOpen();
    }

    /** Opens the shared event stream on {@code route} and seeds session statuses, both asynchronously. */
    void openStream(String route) {
        OpenCodeClient c = client;
        if (c == null) {
            return;
        }
        stream = c.subscribe(route, streamListener(generation));
        // One after another, each on the connection the one before gave back to the pool: asked at once,
        // they held three more connections per instance (4,000 sockets and their buffers at 1,000).
        Duration deadline = Duration.ofSeconds(5);
        pollStatus(deadline).exceptionally(e -> null).thenCompose(v -> seedPermissions(c, deadline)).exceptionally(e -> null)
                .thenCompose(v -> seedQuestions(c, deadline));
    }

    /** Learns the permissions asked before the stream opened. */
    private CompletableFuture<Void> seedPermissions(OpenCodeClient c, Duration deadline) {
        Instant asked = clock.instant();
        return c.getAsync("/permission", deadline).thenAccept(list -> {
            if (activityWriter.permissions(org.opencodemcp.server.opencode.Permission.list(list), asked)) {
                owner.activityChanged(this);
            }
        });
    }

    /** Learns the questions asked before the stream opened; a release without the route (1.2) leaves them to the events. */
    private CompletableFuture<Void> seedQuestions(OpenCodeClient c, Duration deadline) {
        Instant asked = clock.instant();
        return c.getAsync("/question", deadline).thenAccept(list -> {
            if (activityWriter.questions(org.opencodemcp.server.opencode.Question.list(list), asked)) {
                owner.activityChanged(this);
            }
        });
    }

    /** Reads {@code /session/status} once; a failure completes the future exceptionally. */
    CompletableFuture<Void> pollStatus(Duration deadline) {
        OpenCodeClient c = client;
        if (c == null) {
            return CompletableFuture.completedFuture(null);
        }
        return c.getAsync("/session/status", deadline).thenAccept(map -> {
            lastSeen = clock.instant();
            if (activityWriter.statuses(org.opencodemcp.server.opencode.SessionStatus.map(map))) {
                owner.activityChanged(this);
            }
        });
    }

    /** Forgets a stream that already ended. */
    void dropStream() {
        stream = null;
    }

    void closeStream() {
        EventStream s = stream;
        stream = null;
        if (s != null) {
            s.close();
        }
    }


    void scheduleRetry(ScheduledFuture<?> future) {
        cancelRetry();
        retry = future;
    }

    void cancelRetry() {
        ScheduledFuture<?> r = retry;
        retry = null;
        if (r != null) {
            r.cancel(false);
        }
    }

    @Override
    public InstanceView view() {
        Registration r = registration;
        return new InstanceView(fileName(), name(),
                r == null ? null : r.hostname(),
                r == null ? null : r.cwd(),
                r == null ? null : r.port(),
                state, version, reason, since, failures, lastSeen,
                r == null ? null : r.heartbeatAt(),
                state == InstanceState.ONLINE ? activityWriter.activity().busySessions() : 0,
                state == InstanceState.ONLINE ? activityWriter.activity().pendingPermissions().size() : 0,
                state == InstanceState.ONLINE ? activityWriter.activity().questions().size() : 0,
                state == InstanceState.ONLINE ? feed.note() : null);
    }

    /** Applies an event of the current stream and hands it to the tool calls listening. */
    private void dispatch(OpenCodeEvent event) {
        lastSeen = clock.instant();
        if (activityWriter.event(event.typed())) {
            owner.activityChanged(this);
        }
        for (EventListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (RuntimeException e) {
                // one misbehaving tool call must not starve the others
            }
        }
    }

    /** A listener bound to the current generation, so closing an old stream does not disturb a new one. */
    EventListener streamListener(long gen) {
        long opened = System.nanoTime();
        return new EventListener() {
            private volatile boolean sawEvent;

            @Override
            public void onEvent(OpenCodeEvent event) {
                sawEvent = true;
                if (generation == gen) {
                    dispatch(event);
                }
            }

            @Override
            public void onClosed(Throwable cause) {
                for (EventListener l : listeners) {
                    try {
                        l.onClosed(cause);
                    } catch (RuntimeException e) {
                        // ignore: see onEvent
                    }
                }
                owner.streamClosed(LiveInstance.this, gen, cause, sawEvent, Duration.ofNanos(System.nanoTime() - opened));
            }
        };
    }
}
