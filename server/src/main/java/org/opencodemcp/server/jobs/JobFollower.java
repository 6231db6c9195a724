package org.opencodemcp.server.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.opencodemcp.server.instance.Instance;
import org.opencodemcp.server.instance.InstanceState;
import org.opencodemcp.server.instance.Pending;
import org.opencodemcp.server.opencode.EventListener;
import org.opencodemcp.server.opencode.OpenCodeEvent;
import org.opencodemcp.server.opencode.OpenCodeException;
import org.opencodemcp.server.opencode.Permission;
import org.opencodemcp.server.opencode.Question;
import org.opencodemcp.server.opencode.SessionApi;
import org.opencodemcp.server.registry.InstanceRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows every unfinished job to its end, on the "jobs" thread, whether or not a client waits.
 * The instance's live state (busy sessions and pending permissions, kept by its event stream) says
 * whether a turn still runs or waits; once its session is idle the end is read from OpenCode's stored
 * messages ({@link TurnReader}), which also reconciles jobs left running by a server that died. Events
 * of a followed session wake the check at once; a tick every {@link #TICK} is the safety net. A job
 * whose instance stays away longer than PRUNE_AFTER_MS is lost.
 */
final class JobFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobFollower.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Duration TICK = Duration.ofSeconds(2);
    /** The longest pause between two reads of an idle-looking session whose turn has not ended yet. */
    static final Duration MAX_READ_PAUSE = Duration.ofSeconds(30);
    /** The most jobs followed at once; more (a flood of sends) are still recorded, and followed as others end. */
    static final int MAX_FOLLOWED = 10_000;
    /** How long a send may take to learn its user message id before the job is read without it. */
    static final Duration ID_WAIT = Duration.ofSeconds(30);
    static final Duration DIFF_GRACE = Duration.ofSeconds(5);
    static final Duration DIFF_RETRY = Duration.ofMillis(300);
    static final Set<String> WRITING_TOOLS = Set.of("write", "edit", "multiedit", "patch", "apply_patch");

    /** One followed job; touched on the jobs thread only, except {@link #job} (read by tools). */
    private static final class Followed {
        volatile Job job;
        Instant lastOnline;
        Instant nextRead;
        int reads;
        /** The user message id, until the sending tool learns it; no read before (it would find the previous turn). */
        CompletableFuture<String> pendingId;
        Instant diffWaitSince;

        Followed(Job job, Instant now) {
            this.job = job;
            this.lastOnline = now;
            this.nextRead = now;
        }
    }

    private final JobLedger ledger;
    private final InstanceRegistry registry;
    private final ScheduledExecutorService loop;
    private final Clock clock;
    private final Duration lostAfter;
    private final Map<String, Followed> followed = new ConcurrentHashMap<>();
    private final Map<Instance, AutoCloseable> subscriptions = new IdentityHashMap<>();

    JobFollower(JobLedger ledger, InstanceRegistry registry, ScheduledExecutorService loop, Clock clock, Duration lostAfter) {
        this.ledger = ledger;
        this.registry = registry;
        this.loop = loop;
        this.clock = clock;
        this.lostAfter = lostAfter;
        loop.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Starts following {@code job} (unfinished); checks it at once, or when {@code messageId} is learned. */
    void follow(Job job, CompletableFuture<String> messageId) {
        if (job.state().ended() || followed.size() >= MAX_FOLLOWED) {
            return;
        }
        Followed f = followed.computeIfAbsent(job.id(), id -> new Followed(job, clock.instant()));
        f.job = job;
        if (messageId != null) {
            f.pendingId = messageId;
            messageId.orTimeout(ID_WAIT.toMillis(), TimeUnit.MILLISECONDS).whenComplete((id, e) -> run(() -> {
                if (id != null && f.job.messageId() == null && !f.job.state().ended()) {
                    ledger.save(f.job.withMessage(id), false);
                }
                f.pendingId = null;
                f.nextRead = clock.instant();
                check(f);
            }));
        }
        wake(job.id());
    }

    /** The ledger saved a change: keep the followed copy current, forget ended jobs. */
    void updated(Job job) {
        Followed f = followed.get(job.id());
        if (f == null) {
            return;
        }
        if (job.state().ended()) {
            followed.remove(job.id());
        } else {
            f.job = job;
        }
    }

    /** The followed (freshest) copy of a job, or null. */
    Job live(String id) {
        Followed f = followed.get(id);
        return f == null ? null : f.job;
    }

    private void wake(String id) {
        run(() -> {
            Followed f = followed.get(id);
            if (f != null) {
                f.nextRead = clock.instant();
                check(f);
            }
        });
    }

    private void run(Runnable r) {
        try {
            loop.execute(r);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // shutting down
        }
    }

    private void tick() {
        try {
            for (Followed f : List.copyOf(followed.values())) {
                check(f);
            }
            dropIdleSubscriptions();
        } catch (RuntimeException e) {
            LOG.warn("jobs: follow tick failed", e);
        }
    }

    private void check(Followed f) {
        Job j = f.job;
        if (j.state().ended()) {
            followed.remove(j.id());
            return;
        }
        Instant now = clock.instant();
        if (j.state() == JobState.QUEUED && j.ownerPid() == ProcessHandle.current().pid()
                && Duration.between(j.created(), now).compareTo(Duration.ofMinutes(1)) < 0) {
            return; // its send is posting the prompt right now
        }
        Instance instance = online(j.instance());
        if (instance == null) {
            if (Duration.between(f.lastOnline, now).compareTo(lostAfter) >= 0) {
                ledger.save(j.ended(JobState.LOST, new JobResult(null, false, null, null, null, null,
                        "instance " + j.instance() + " went away before the turn ended and did not come back within "
                                + lostAfter.toMillis() + " ms (PRUNE_AFTER_MS)"), now), false);
            }
            return;
        }
        f.lastOnline = now;
        subscribe(instance);
        String item = waitingOn(instance, j.sessionId());
        if (item != null) {
            if (j.state() != JobState.WAITING || !item.equals(j.waitingOn())) {
                ledger.save(j.waitingOn(item, now), false);
            }
            return;
        }
        if (instance.activity().statuses().containsKey(j.sessionId())) {
            if (j.state() != JobState.RUNNING) {
                ledger.save(j.to(JobState.RUNNING, now), false);
            }
            return;
        }
        if (now.isBefore(f.nextRead) || (f.pendingId != null && j.messageId() == null)) {
            return;
        }
        read(f, instance, now);
    }

    /** The session looks idle: read its messages to see whether our turn ended. */
    private void read(Followed f, Instance instance, Instant now) {
        Job j = f.job;
        try {
            TurnReader.Read r = TurnReader.read(new SessionApi(instance.client()), j);
            Job latest = f.job;
            if (r.messageId() != null && latest.messageId() == null) {
                latest = latest.withMessage(r.messageId());
            }
            if (r.end() != null && diffPending(f, r.end().result(), now)) {
                f.nextRead = now.plus(DIFF_RETRY);
                loop.schedule(() -> wake(j.id()), DIFF_RETRY.toMillis(), TimeUnit.MILLISECONDS);
                return;
            }
            if (r.end() != null) {
                Job from = latest.state() == JobState.QUEUED ? latest.to(JobState.RUNNING, now) : latest;
                ledger.save(from.ended(r.end().state(), r.end().result(), now), false);
                return;
            }
            if (latest != f.job || latest.state() != JobState.RUNNING) {
                ledger.save(latest.state() == JobState.RUNNING ? latest : latest.to(JobState.RUNNING, now), false);
            }
        } catch (OpenCodeException e) {
            LOG.debug("jobs: could not read {} on {}: {}", j.sessionId(), j.instance(), e.getMessage());
        }
        f.reads++;
        long pause = Math.min(MAX_READ_PAUSE.toMillis(), 500L << Math.min(6, f.reads));
        f.nextRead = now.plusMillis(pause);
    }

    /**
     * OpenCode computes a turn's diff just after the turn ends: a turn that wrote files but shows no diff
     * yet is read again for up to {@link #DIFF_GRACE}, so the job ends with its file list.
     */
    private static boolean diffPending(Followed f, JobResult result, Instant now) {
        boolean wrote = result.tools().stream().anyMatch(t -> WRITING_TOOLS.contains(t.tool()) && "completed".equals(t.status()));
        if (!wrote || !result.files().isEmpty()) {
            return false;
        }
        if (f.diffWaitSince == null) {
            f.diffWaitSince = now;
        }
        return Duration.between(f.diffWaitSince, now).compareTo(DIFF_GRACE) < 0;
    }

    private Instance online(String name) {
        for (Instance i : registry.instances()) {
            if (i.name().equals(name) && i.state() == InstanceState.ONLINE && !i.duplicate() && i.client() != null) {
                return i;
            }
        }
        return null;
    }

    /** The permission or question (as JSON) the session waits on, from the instance's live state; or null. */
    private static String waitingOn(Instance instance, String sessionId) {
        for (Pending<Permission> p : instance.activity().permissions()) {
            if (sessionId.equals(p.request().sessionId())) {
                return ((com.fasterxml.jackson.databind.node.ObjectNode) JSON.valueToTree(p.request())).put("kind", "permission").toString();
            }
        }
        for (Pending<Question> q : instance.activity().questions()) {
            if (sessionId.equals(q.request().sessionId())) {
                return ((com.fasterxml.jackson.databind.node.ObjectNode) JSON.valueToTree(q.request())).put("kind", "question").toString();
            }
        }
        return null;
    }

    private void subscribe(Instance instance) {
        if (subscriptions.containsKey(instance)) {
            return;
        }
        String name = instance.name();
        subscriptions.put(instance, instance.subscribe(new EventListener() {
            @Override
            public void onEvent(OpenCodeEvent event) {
                onSessionEvent(name, event);
            }
        }));
    }

    private void dropIdleSubscriptions() {
        Set<String> names = ConcurrentHashMap.newKeySet();
        followed.values().forEach(f -> names.add(f.job.instance()));
        subscriptions.entrySet().removeIf(e -> {
            boolean stale = !names.contains(e.getKey().name()) || e.getKey().state() != InstanceState.ONLINE;
            if (stale) {
                close(e.getValue());
            }
            return stale;
        });
    }

    /** On an HTTP client thread: only looks and hands work to the jobs thread. */
    private void onSessionEvent(String instance, OpenCodeEvent event) {
        String type = event.type();
        boolean relevant = switch (type) {
            case "session.status", "session.idle", "session.error", "permission.asked", "permission.replied",
                    "question.asked", "question.replied", "question.rejected" -> true;
            default -> false;
        };
        if (!relevant) {
            return;
        }
        String session = event.sessionId();
        for (Followed f : followed.values()) {
            Job j = f.job;
            if (j.instance().equals(instance) && j.sessionId() != null && j.sessionId().equals(session)) {
                wake(j.id());
            }
        }
    }

    private static void close(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // removing a listener cannot really fail
        }
    }

    @Override
    public void close() {
        subscriptions.values().forEach(JobFollower::close);
        subscriptions.clear();
    }
}
