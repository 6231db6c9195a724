package org.opencodemcp.server.registry;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.LongSupplier;
import org.opencodemcp.server.instance.EventFeed;
import org.opencodemcp.server.instance.InstanceState;
import org.opencodemcp.server.logging.RepeatedLines;
import org.opencodemcp.server.opencode.EventStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each online instance's live events flowing without ever hammering it: opens the stream
 * (falling back from {@code /global/event} to {@code /event}), acts on {@link EventFeed}'s decision
 * when a stream ends, polls {@code /session/status} for instances without a working stream, and
 * aborts streams that went silent ({@link StreamWatchdog} decides). Runs on the registry thread.
 */
final class EventFeeds {
    private static final Logger LOG = LoggerFactory.getLogger(EventFeeds.class);
    private final ScheduledExecutorService loop;
    private final Consumer<LiveInstance> probe;
    /** Whether an entry is still the registry's entry for its file. */
    private final Predicate<LiveInstance> current;
    private final Runnable changed;
    private final RepeatedLines repeats;
    /** Monotonic nanoseconds, the clock of {@link EventStream#lastActivityNanos()}. */
    private final LongSupplier nanoTime;

    EventFeeds(ScheduledExecutorService loop, Clock clock, LongSupplier nanoTime, Predicate<LiveInstance> current,
            Consumer<LiveInstance> probe, Runnable changed) {
        this.loop = loop;
        this.current = current;
        this.nanoTime = nanoTime;
        this.probe = probe;
        this.changed = changed;
        this.repeats = new RepeatedLines(Duration.ofSeconds(60), clock);
    }

    /** A probe found the instance online: open its stream unless one is open or a retry is waiting. */
    void online(LiveInstance e) {
        if (!e.streamOpen() && !e.feed().retryPending()) {
            e.openStream(e.feed().route());
        }
    }

    /**
     * Told by an entry's stream listener, on the HTTP-client thread: the stream opened for
     * {@code generation} ended. Handled on the registry thread unless it belongs to an old target or
     * a newer stream is already open.
     *
     * @param connected whether the stream delivered any event before it ended
     * @param lived     how long it was open
     */
    void streamClosed(LiveInstance e, long generation, Throwable cause, boolean connected, Duration lived) {
        try {
            loop.execute(() -> {
                if (e.generation() != generation || !current.test(e) || e.state() != InstanceState.ONLINE || e.streamOpen()) {
                    return; // an old target's stream, or a newer stream is already open
                }
                closed(e, cause, connected, lived);
            });
        } catch (RejectedExecutionException closing) {
            // the registry is closing: streams end because we closed them
        }
    }

    /** The instance's current stream ended (checked to be of the current generation, online). */
    private void closed(LiveInstance e, Throwable cause, boolean connected, Duration lived) {
        e.dropStream();
        EventFeed feed = e.feed();
        EventFeed.Next next = feed.closed(cause, connected, lived);
        String what = cause == null ? "end of stream" : cause.getMessage() != null ? cause.getMessage() : cause.toString();
        if (next instanceof EventFeed.Next.ProbeNow) {
            log(e, "closed", "{}: event stream closed ({}); probing", e.name(), what);
            probe.accept(e);
        } else if (next instanceof EventFeed.Next.TryRoute r) {
            log(e, "route", "{}: {}; trying {}", e.name(), what, r.route());
            e.openStream(r.route());
        } else if (next instanceof EventFeed.Next.RetryAfter r) {
            log(e, "failed", "{}: event stream failed ({}); next try in {} ms", e.name(), what, r.delay().toMillis());
            long gen = e.generation();
            feed.scheduleRetry(loop.schedule(() -> {
                if (e.generation() == gen && e.state() == InstanceState.ONLINE) {
                    probe.accept(e); // a good probe reopens the stream through online()
                }
            }, r.delay().toMillis(), TimeUnit.MILLISECONDS));
            if (r.poll() && !feed.polling()) {
                LOG.warn("{}: {}", e.name(), feed.note());
                startPolling(e, gen);
            }
            changed.run();
        }
    }

    private void startPolling(LiveInstance e, long gen) {
        long every = EventFeed.POLL_EVERY.toMillis();
        e.feed().schedulePoll(loop.scheduleWithFixedDelay(() -> {
            if (e.generation() != gen || e.state() != InstanceState.ONLINE) {
                e.feed().schedulePoll(null);
                return;
            }
            EventStream s = e.stream();
            if (s != null && s.isOpen() && s.connected()) {
                return; // the watchdog clears the note and stops polling
            }
            e.pollStatus(EventFeed.POLL_EVERY).whenComplete((v, err) -> {
                if (err != null) {
                    loop.execute(() -> {
                        if (e.generation() == gen && e.state() == InstanceState.ONLINE) {
                            log(e, "poll", "{}: status poll failed ({}); probing", e.name(), err.getMessage());
                            probe.accept(e);
                        }
                    });
                }
            });
        }, every, every, TimeUnit.MILLISECONDS));
    }

    /** Every few seconds: abort silent streams, and notice streams that work again. */
    void watch(Collection<LiveInstance> instances) {
        long now = nanoTime.getAsLong();
        for (LiveInstance e : instances) {
            if (e.state() != InstanceState.ONLINE) {
                continue;
            }
            EventStream s = e.stream();
            if (s == null || !s.isOpen()) {
                continue;
            }
            StreamWatchdog.Verdict verdict = StreamWatchdog.check(s.lastActivityNanos(), now, s.connected(), e.feed().note() != null);
            if (verdict == StreamWatchdog.Verdict.STALLED) {
                long seconds = StreamWatchdog.STALL.toSeconds();
                log(e, "stall", "{}: no event or heartbeat for {} s; treating the stream as stalled", e.name(), seconds);
                s.abort(new TimeoutException("no event or heartbeat for " + seconds + " s"));
            } else if (verdict == StreamWatchdog.Verdict.WORKS_AGAIN) {
                LOG.info("{}: live events work again on {}", e.name(), s.route());
                e.feed().streamWorks();
                e.feed().schedulePoll(null);
                changed.run();
            }
        }
    }

    /** The instance stopped answering: stop timers and the stream, keep what was learnt about its routes. */
    void suspend(LiveInstance e) {
        e.feed().cancelTimers();
        e.closeStream();
    }

    /** The target changed or went away: stop timers, close the stream, forget what was learnt. */
    void stop(LiveInstance e) {
        e.feed().reset();
        e.closeStream();
        repeats.forget("closed:" + e.file());
        repeats.forget("failed:" + e.file());
    }

    private void log(LiveInstance e, String kind, String format, Object... args) {
        String suffix = repeats.admit(kind + ":" + e.file());
        if (suffix != null) {
            LOG.info(format + suffix, args);
        }
    }
}
