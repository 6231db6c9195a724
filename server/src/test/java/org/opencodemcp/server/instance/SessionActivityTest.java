package org.opencodemcp.server.instance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opencodemcp.server.opencode.Event;
import org.opencodemcp.server.opencode.OpenCodeEvent;
import org.opencodemcp.server.opencode.RecordedSamples;
import org.opencodemcp.server.opencode.SessionStatus;
import org.opencodemcp.server.opencode.Todo;

/** Live state replayed from a recorded opencode 1.18.33 event stream, and its caps. */
class SessionActivityTest {
    final MutableClock clock = new MutableClock();
    final SessionActivity activity = new SessionActivity(clock);

    @Test
    void followsQuestionsPermissionsTodosToolsAndTextThroughARecordedStream() throws Exception {
        List<OpenCodeEvent> events = RecordedSamples.events("1.18.33");
        boolean sawQuestion = false;
        boolean sawPermission = false;
        boolean sawRetry = false;
        boolean sawTool = false;
        for (OpenCodeEvent e : events) {
            clock.tick();
            activity.apply(e.typed());
            if (!activity.questions().isEmpty()) {
                sawQuestion = true;
                Pending<org.opencodemcp.server.opencode.Question> q = activity.questions().get(0);
                assertThat(q.askedAt()).isBefore(clock.instant().plusMillis(1));
                assertThat(activity.busySessions()).isEqualTo(1); // a question keeps the session busy
            }
            sawPermission |= !activity.permissions().isEmpty();
            sawRetry |= activity.statuses().values().stream().anyMatch(SessionStatus::retrying);
            sawTool |= activity.sessions().stream().anyMatch(s -> s.runningTool() != null && s.runningTool().startsWith("bash `echo hi`"));
        }
        assertThat(sawQuestion).isTrue();
        assertThat(sawPermission).isTrue();
        assertThat(sawRetry).isTrue();
        assertThat(sawTool).isTrue();
        // the recording ends idle with everything answered
        assertThat(activity.questions()).isEmpty();
        assertThat(activity.permissions()).isEmpty();
        assertThat(activity.busySessions()).isZero();
        LiveSession s = activity.sessions().get(0);
        assertThat(s.title()).isNotBlank();
        assertThat(s.todos()).extracting(Todo::content).containsExactly("first step", "second step", "third step");
        assertThat(s.lastText()).isNotBlank();
        assertThat(s.runningTool()).isNull();
        assertThat(s.info().tokens().output()).isPositive();
        assertThat(s.info().cost()).isPositive();
    }

    @Test
    void statusSeedIsTheWholeTruthAndRetryKeepsAttemptAndNextTry() throws Exception {
        ObjectMapper json = new ObjectMapper();
        activity.apply(event("session.status", "{\"sessionID\":\"ses_a\",\"status\":{\"type\":\"busy\"}}"));
        Instant busySince = activity.session("ses_a").since();
        clock.tick();
        activity.apply(event("session.status", "{\"sessionID\":\"ses_a\",\"status\":{\"type\":\"retry\",\"attempt\":3,\"message\":\"slow down\",\"next\":99}}"));
        assertThat(activity.session("ses_a").since()).isEqualTo(busySince); // still the same wait
        assertThat(activity.statuses().get("ses_a")).isEqualTo(new SessionStatus("retry", 3, "slow down", 99));
        assertThat(activity.seedStatusesChanged(SessionStatus.map(json.readTree("{\"ses_b\":{\"type\":\"busy\"}}")))).isTrue();
        assertThat(activity.statuses()).containsOnlyKeys("ses_b");
        // an idle event for a session never seen makes no entry
        assertThat(activity.apply(event("session.idle", "{\"sessionID\":\"ses_never\"}"))).isFalse();
        assertThat(activity.session("ses_never")).isNull();
    }

    @Test
    void pendingRequestsAreOldestFirstCappedAndGoWithTheirSession() throws Exception {
        for (int i = 0; i < SessionActivity.MAX_PENDING + 20; i++) {
            clock.tick();
            activity.apply(event("question.asked", "{\"id\":\"que_" + i + "\",\"sessionID\":\"ses_q\",\"questions\":[]}"));
        }
        assertThat(activity.questions()).hasSize(SessionActivity.MAX_PENDING);
        assertThat(activity.questions().get(0).request().id()).isEqualTo("que_0");
        // a reply for a question nobody asked changes nothing; a second reply for one answered neither
        assertThat(activity.apply(event("question.replied", "{\"sessionID\":\"ses_q\",\"requestID\":\"que_unknown\",\"answers\":[]}"))).isFalse();
        assertThat(activity.apply(event("question.replied", "{\"sessionID\":\"ses_q\",\"requestID\":\"que_0\",\"answers\":[]}"))).isTrue();
        assertThat(activity.apply(event("question.replied", "{\"sessionID\":\"ses_q\",\"requestID\":\"que_0\",\"answers\":[]}"))).isFalse();
        activity.apply(event("session.deleted", "{\"sessionID\":\"ses_q\",\"info\":{\"id\":\"ses_q\",\"title\":\"t\"}}"));
        assertThat(activity.questions()).isEmpty();
    }

    @Test
    void sessionsAreCappedByDroppingTheLeastRecentlyTouchedIdleOnes() throws Exception {
        for (int i = 0; i < SessionActivity.MAX_SESSIONS + 50; i++) {
            clock.tick();
            activity.apply(event("session.updated", "{\"sessionID\":\"ses_" + i + "\",\"info\":{\"id\":\"ses_" + i + "\",\"title\":\"t\"}}"));
        }
        assertThat(activity.sessions()).hasSize(SessionActivity.MAX_SESSIONS);
        assertThat(activity.session("ses_0")).isNull();
        assertThat(activity.session("ses_" + (SessionActivity.MAX_SESSIONS + 49))).isNotNull();
    }

    static Event event(String type, String properties) throws Exception {
        return new OpenCodeEvent(type, new ObjectMapper().readTree(properties)).typed();
    }

    /** A clock the test moves by hand, one millisecond per tick. */
    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-12-01T00:00:00Z");

        void tick() {
            now = now.plus(Duration.ofMillis(1));
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
