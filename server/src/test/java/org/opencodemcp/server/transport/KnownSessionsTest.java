package org.opencodemcp.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KnownSessionsTest {

    @Test
    void onlyIdsHandedOutAreKnownUntilForgotten() {
        KnownSessions sessions = new KnownSessions();
        sessions.add("real");
        sessions.add(null);
        sessions.add(" ");
        assertThat(sessions.known("real")).isTrue();
        assertThat(sessions.known("made-up")).isFalse();
        assertThat(sessions.known(null)).isFalse();
        sessions.forget("real");
        assertThat(sessions.known("real")).isFalse();
    }

    @Test
    void theLeastRecentlyActiveGoesFirstWhenFull() {
        KnownSessions sessions = new KnownSessions(2);
        sessions.add("a");
        sessions.add("b");
        assertThat(sessions.known("a")).isTrue(); // a request of "a": now "b" is the least recently active
        sessions.add("c");
        assertThat(sessions.known("a")).isTrue();
        assertThat(sessions.known("b")).isFalse();
        assertThat(sessions.known("c")).isTrue();
    }
}
