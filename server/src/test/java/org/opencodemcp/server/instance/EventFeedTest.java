package org.opencodemcp.server.instance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.opencodemcp.server.opencode.OpenCodeException;

/** The pure rules behind "no loops, ever": backoff with jitter and a floor, route fallback, polling. */
class EventFeedTest {
    private static final OpenCodeException NOT_SERVED = new OpenCodeException(OpenCodeException.Kind.NOT_FOUND, 404, "GET answered HTTP 404", null);

    @Test
    void theBackoffDoublesFromItsFloorUpToItsCapWithinTheJitter() {
        RetryPolicy p = new RetryPolicy(Duration.ofMillis(500), Duration.ofSeconds(15), 0.2);
        assertThat(p.delay(1, () -> 0.5)).isEqualTo(Duration.ofMillis(500));
        assertThat(p.delay(2, () -> 0.5)).isEqualTo(Duration.ofMillis(1000));
        assertThat(p.delay(6, () -> 0.5)).isEqualTo(Duration.ofMillis(15000));
        assertThat(p.delay(1000, () -> 0.5)).isEqualTo(Duration.ofMillis(15000));
        assertThat(p.delay(1, () -> 0.0)).isEqualTo(Duration.ofMillis(400));
        assertThat(p.delay(1, () -> 0.999999)).isEqualTo(Duration.ofMillis(600));
        for (int n = 1; n < 50; n++) {
            assertThat(p.delay(n)).isBetween(Duration.ofMillis(400), Duration.ofMillis(18000));
        }
    }

    @Test
    void aRefusedGlobalRouteFallsBackToTheInstanceRouteAtOnceAndIsRemembered() {
        EventFeed feed = new EventFeed(RetryPolicy.STREAM);
        assertThat(feed.route()).isEqualTo(EventFeed.GLOBAL_ROUTE);
        assertThat(feed.closed(NOT_SERVED, false, Duration.ZERO)).isEqualTo(new EventFeed.Next.TryRoute(EventFeed.INSTANCE_ROUTE));
        feed.streamWorks();
        assertThat(feed.route()).isEqualTo(EventFeed.INSTANCE_ROUTE);
        assertThat(feed.closed(null, true, Duration.ofMinutes(5))).isInstanceOf(EventFeed.Next.ProbeNow.class);
        assertThat(feed.route()).isEqualTo(EventFeed.INSTANCE_ROUTE);
    }

    @Test
    void noRouteAtAllMeansPollingAndAnAskAgainMinutesLater() {
        EventFeed feed = new EventFeed(RetryPolicy.STREAM);
        feed.closed(NOT_SERVED, false, Duration.ZERO);
        EventFeed.Next next = feed.closed(NOT_SERVED, false, Duration.ZERO);
        assertThat(next).isInstanceOfSatisfying(EventFeed.Next.RetryAfter.class, r -> {
            assertThat(r.poll()).isTrue();
            assertThat(r.delay()).isGreaterThanOrEqualTo(Duration.ofSeconds(48));
        });
        assertThat(feed.note()).startsWith("no live events: neither /global/event nor /event is served").endsWith("status polled every 10 s");
        assertThat(feed.route()).isEqualTo(EventFeed.GLOBAL_ROUTE);
    }

    @Test
    void streamsThatEndEarlyBackOffAndTurnToPollingAfterAFewFailures() {
        EventFeed feed = new EventFeed(RetryPolicy.STREAM);
        // the first early end is probed at once (it may be a dropped tunnel); the next ones back off
        assertThat(feed.closed(null, true, Duration.ofMillis(5))).isInstanceOf(EventFeed.Next.ProbeNow.class);
        Duration last = Duration.ZERO;
        for (int i = 2; i <= 6; i++) {
            EventFeed.Next next = feed.closed(null, true, Duration.ofMillis(5));
            assertThat(next).isInstanceOf(EventFeed.Next.RetryAfter.class);
            EventFeed.Next.RetryAfter r = (EventFeed.Next.RetryAfter) next;
            assertThat(r.delay()).isGreaterThanOrEqualTo(Duration.ofMillis(800));
            assertThat(r.poll()).isEqualTo(i >= 3);
            if (i > 3) {
                assertThat(r.delay()).isGreaterThan(last);
            }
            last = r.delay();
        }
        assertThat(feed.note()).contains("the stream ended after 5 ms");
        feed.streamWorks();
        assertThat(feed.note()).isNull();
    }

    @Test
    void aHealthyStreamThatEndsMeansProbeNowButAStallCountsAsAFailure() {
        EventFeed feed = new EventFeed(RetryPolicy.STREAM);
        assertThat(feed.closed(null, true, Duration.ofSeconds(31))).isInstanceOf(EventFeed.Next.ProbeNow.class);
        assertThat(feed.closed(new TimeoutException("silent"), true, Duration.ofSeconds(40))).isInstanceOf(EventFeed.Next.RetryAfter.class);
        assertThat(feed.failures()).isEqualTo(1);
        assertThat(feed.closed(null, true, Duration.ofMinutes(2))).isInstanceOf(EventFeed.Next.ProbeNow.class);
        assertThat(feed.failures()).isZero();
    }
}
