package org.opencodemcp.server.jobs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.opencodemcp.server.config.JobSettings;
import org.opencodemcp.server.registry.InstanceRegistry;
import org.opencodemcp.server.threads.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jobs ledger: every prompt sent is recorded before it is posted, followed to its end by
 * {@link JobFollower} whether or not a client waits, and kept in the {@link JobStore}.
 *
 * <p>The store is opened on the "jobs" thread (the SQLite driver and its native library load there),
 * after the first MCP answer ({@link #openStore()}); a send that comes earlier waits for it a few seconds. A
 * store that cannot be opened is fatal ({@code onFatal}: a clear error and exit), a write that fails
 * later (disk full) is not: the job lives in memory and every answer says it was not recorded.
 */
public final class JobLedger implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobLedger.class);
    static final Duration STORE_WAIT = Duration.ofSeconds(10);
    /** The most jobs kept in memory when the store cannot write them. */
    static final int MAX_UNRECORDED = 1_000;

    private final JobSettings settings;
    private final Clock clock;
    private final long pid = ProcessHandle.current().pid();
    private final ScheduledExecutorService loop;
    private final CompletableFuture<JobStore> store = new CompletableFuture<>();
    private final Map<String, Job> unrecorded = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Job> eldest) {
            return size() > MAX_UNRECORDED;
        }
    });
    private final Object changes = new Object();
    private final JobFollower follower;
    private volatile String writeProblem;
    private final Consumer<String> onFatal;
    private final AtomicBoolean opening = new AtomicBoolean();

    private JobLedger(InstanceRegistry registry, JobSettings settings, Clock clock, Consumer<String> onFatal) {
        this.settings = settings;
        this.clock = clock;
        this.onFatal = onFatal;
        this.loop = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("jobs"));
        this.follower = new JobFollower(this, registry, loop, clock, registry.settings().pruneAfter());
    }

    /**
     * Checks the database file now (cheap; throws {@link JobStoreException} naming the file and the fix);
     * the store itself is opened by {@link #openStore()}. {@code onFatal} gets the message if that fails.
     */
    public static JobLedger create(InstanceRegistry registry, JobSettings settings, Clock clock, Consumer<String> onFatal) {
        check(settings);
        return new JobLedger(registry, settings, clock, onFatal);
    }

    /** {@link #create}'s check of the database file alone (stdio runs it before anything is answered). */
    public static void check(JobSettings settings) {
        if (settings.database() != null) {
            DatabaseFile.prepare(settings.database());
        }
    }

    /** {@link #create} and {@link #openStore()} at once (HTTP mode, tests). */
    public static JobLedger start(InstanceRegistry registry, JobSettings settings, Clock clock, Consumer<String> onFatal) {
        JobLedger ledger = create(registry, settings, clock, onFatal);
        ledger.openStore();
        return ledger;
    }

    /**
     * Opens the store on the "jobs" thread (once; later calls do nothing): loads the SQLite driver and its
     * native library, runs the migrations, deletes old jobs, adopts unfinished ones. The stdio server calls
     * it right after the initialize answer; any use of the store calls it too, so nothing depends on that.
     */
    public void openStore() {
        if (opening.compareAndSet(false, true)) {
            loop.execute(this::open);
        }
    }

    private void open() {
        long t0 = System.nanoTime();
        JobStore s;
        try {
            s = SqliteJobStore.open(settings.database());
        } catch (JobStoreException | LinkageError e) {
            store.completeExceptionally(e);
            onFatal.accept(e instanceof JobStoreException ? e.getMessage()
                    : "the jobs database " + location() + " cannot be opened: SQLite's native library failed to load (" + e
                            + "). It is unpacked into the temp directory: make java.io.tmpdir writable and not noexec,"
                            + " or point -Dorg.sqlite.tmpdir at a directory that is");
            return;
        }
        try {
            int gone = s.deleteCreatedBefore(clock.instant().minus(Duration.ofDays(settings.keepDays())));
            List<Job> adopted = new ArrayList<>();
            for (Job j : s.unfinished(10_000)) {
                if (j.ownerPid() == pid || !alive(j.ownerPid())) {
                    Job mine = j.withOwner(pid);
                    s.update(mine);
                    adopted.add(mine);
                }
            }
            store.complete(s);
            adopted.forEach(j -> follower.follow(j, null));
            LOG.info("jobs: {} opened in {} ms ({} jobs; {} older than {} days deleted; {} unfinished jobs to reconcile)",
                    s.location(), (System.nanoTime() - t0) / 1_000_000, s.count(), gone, settings.keepDays(), adopted.size());
        } catch (JobStoreException e) {
            store.complete(s);
            writeFailed(e);
        }
        loop.scheduleWithFixedDelay(this::deleteOld, 1, 1, TimeUnit.DAYS);
    }

    private static boolean alive(long pid) {
        return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private void deleteOld() {
        try {
            store().ifPresent(s -> s.deleteCreatedBefore(clock.instant().minus(Duration.ofDays(settings.keepDays()))));
        } catch (JobStoreException e) {
            writeFailed(e);
        }
    }

    /** Records a new job for a prompt about to be posted; never throws (a failed write is reported on the job). */
    public Job open(String instance, String sessionId, String prompt, String agent, String model) {
        Instant now = clock.instant();
        Job job = Job.queued(JobId.next(now), instance, sessionId, prompt, agent, model, now, pid);
        return save(job, true);
    }

    /**
     * The prompt was accepted; {@code messageId} completes with the user message it created (learned from
     * the event stream). The job is followed from now on, whether or not the sender waits.
     */
    public Job posted(Job job, CompletableFuture<String> messageId) {
        Job running = current(job).to(JobState.RUNNING, clock.instant());
        String known = messageId.getNow(null);
        if (known != null) {
            running = running.withMessage(known);
        }
        Job saved = save(running, false);
        follower.follow(saved, known == null ? messageId : null);
        return saved;
    }

    /** The prompt was never accepted. */
    public Job refused(Job job, String why) {
        return save(current(job).ended(JobState.FAILED, new JobResult(null, false, null, null, null, null, why), clock.instant()), false);
    }

    private Job current(Job job) {
        return get(job.id()).orElse(job);
    }

    /** Stores a change (called by the follower too) and wakes waiters. */
    Job save(Job job, boolean insert) {
        Job toStore = settings.storeText() ? job : job.withoutText();
        Job result = job;
        Optional<JobStore> s = store();
        if (s.isEmpty()) {
            result = job.unrecorded();
        } else {
            try {
                if (insert) {
                    s.get().insert(toStore);
                } else if (unrecorded.containsKey(job.id())) {
                    result = job.unrecorded();
                } else {
                    s.get().update(toStore);
                }
            } catch (JobStoreException e) {
                writeFailed(e);
                result = job.unrecorded();
            }
        }
        if (!result.recorded()) {
            unrecorded.put(job.id(), result);
        }
        follower.updated(result);
        synchronized (changes) {
            changes.notifyAll();
        }
        return result;
    }

    private void writeFailed(JobStoreException e) {
        if (writeProblem == null || !writeProblem.equals(e.getMessage())) {
            LOG.error("jobs: {}; serving on, new jobs are kept in memory only and reported as not recorded", e.getMessage());
        }
        writeProblem = e.getMessage();
    }

    /** Why jobs are currently not recorded, or null. */
    public String writeProblem() {
        return writeProblem;
    }

    public Optional<Job> get(String id) {
        Job live = follower.live(id);
        if (live != null) {
            return Optional.of(live);
        }
        Job mem = unrecorded.get(id);
        if (mem != null) {
            return Optional.of(mem);
        }
        return store().flatMap(s -> {
            try {
                return s.get(id);
            } catch (JobStoreException e) {
                writeFailed(e);
                return Optional.empty();
            }
        });
    }

    /** Most recent first; jobs kept in memory only are merged in. */
    public List<Job> list(String instance, JobState state, int limit) {
        List<Job> out = new ArrayList<>(store().map(s -> s.list(instance, state, limit)).orElse(List.of()));
        synchronized (unrecorded) {
            for (Job j : unrecorded.values()) {
                if ((instance == null || instance.equals(j.instance())) && (state == null || state == j.state())) {
                    out.add(j);
                }
            }
        }
        out.replaceAll(j -> Optional.ofNullable(follower.live(j.id())).orElse(j));
        out.sort((a, b) -> b.id().compareTo(a.id()));
        return out.size() > limit ? out.subList(0, limit) : out;
    }

    /**
     * Waits until the job has ended or starts waiting on a new permission/question (one it already waited
     * on at the call does not end the wait: the caller may just have answered it), or until {@code limit};
     * calls {@code tick} about every {@code every} while waiting (progress notifications).
     */
    public Optional<Job> await(String id, Duration limit, Duration every, Consumer<Job> tick) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        long nextTick = System.nanoTime() + every.toNanos();
        String waitedOn = get(id).map(Job::waitingOn).orElse(null);
        while (true) {
            Optional<Job> j = get(id);
            if (j.isEmpty() || j.get().state().ended()
                    || (j.get().state() == JobState.WAITING && !j.get().waitingOn().equals(waitedOn))) {
                return j;
            }
            long now = System.nanoTime();
            if (now >= deadline) {
                return j;
            }
            if (now >= nextTick) {
                tick.accept(j.get());
                nextTick = now + every.toNanos();
            }
            long sleep = Math.min(deadline, nextTick) - now;
            synchronized (changes) {
                TimeUnit.NANOSECONDS.timedWait(changes, Math.max(1_000_000, Math.min(sleep, 1_000_000_000)));
            }
        }
    }

    Optional<JobStore> store() {
        openStore();
        try {
            return Optional.of(store.get(STORE_WAIT.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** Where jobs are kept, for answers and logs. */
    public String location() {
        return settings.database() == null ? "memory (JOBS_DB=:memory:)" : settings.database().toString();
    }

    @Override
    public void close() {
        follower.close();
        loop.shutdownNow();
        store.thenAccept(JobStore::close);
    }
}
