package org.opencodemcp.server.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.spec.McpSchema.LoggingLevel;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Who gets which fleet log lines: the level each client set, and at most a few a second each. */
class LogLevelsTest {
    static final LogLine ONLINE = new LogLine(LoggingLevel.INFO, "alpha is online");
    static final LogLine ASKED = new LogLine(LoggingLevel.WARNING, "alpha · session ses_1 asks permission `bash`");

    @Test
    void aClientThatSetNoLevelGetsNothingAndOnlyLinesAtOrAboveItsLevelGoOut() {
        LogLevels levels = new LogLevels();
        assertThat(levels.any()).isFalse();
        assertThat(levels.route(List.of(ONLINE, ASKED), 0, LoggingLevel.WARNING, 0)).isEmpty();

        assertThat(levels.setLevel("info-client", "info")).isNull();
        assertThat(levels.setLevel("warning-client", "warning")).isNull();
        assertThat(levels.setLevel("error-client", "error")).isNull();
        assertThat(levels.any()).isTrue();
        List<LogLevels.Delivery> out = levels.route(List.of(ONLINE, ASKED), 0, LoggingLevel.WARNING, 0);
        assertThat(out).containsExactly(new LogLevels.Delivery("info-client", ONLINE), new LogLevels.Delivery("info-client", ASKED),
                new LogLevels.Delivery("warning-client", ASKED));
    }

    @Test
    void unknownLevelsAreRefusedWithTheListOfGoodOnes() {
        LogLevels levels = new LogLevels();
        for (String bad : new String[] {null, "", "INFO", "verbose", "warn"}) {
            assertThat(levels.setLevel("c", bad)).as(bad).contains("debug, info, notice, warning, error, critical, alert, emergency");
        }
        assertThat(levels.any()).isFalse();
        assertThat(levels.setLevel("c", "emergency")).isNull();
        assertThat(levels.level("c")).isEqualTo(LoggingLevel.EMERGENCY);
        assertThat(levels.setLevel("c", "debug")).isNull();
        assertThat(levels.level("c")).as("a second setLevel changes it").isEqualTo(LoggingLevel.DEBUG);
    }

    @Test
    void aFloodOfFiftyGivesThreeLinesAtOnceThenOneAndNMoreWhenTheSecondHasPassed() {
        LogLevels levels = new LogLevels();
        levels.setLevel("c", "info");
        List<LogLine> flood = new ArrayList<>();
        IntStream.range(0, 49).forEach(i -> flood.add(new LogLine(LoggingLevel.INFO, "beta-" + i + " is online")));
        flood.add(ASKED);
        List<LogLevels.Delivery> first = levels.route(flood, 0, LoggingLevel.WARNING, 10_000);
        assertThat(first).hasSize(LogThrottle.PER_SECOND);
        assertThat(first.get(0).line().text()).isEqualTo("beta-0 is online");
        // nothing more within the second, however many ticks come
        for (long t = 10_100; t < 11_000; t += 100) {
            assertThat(levels.route(List.of(), 0, LoggingLevel.WARNING, t)).isEmpty();
        }
        List<LogLevels.Delivery> later = levels.route(List.of(), 0, LoggingLevel.WARNING, 11_000);
        assertThat(later).singleElement().satisfies(d -> {
            assertThat(d.line().text()).startsWith("and 47 more fleet events");
            assertThat(d.line().level()).as("the highest level held back").isEqualTo(LoggingLevel.WARNING);
        });
        assertThat(levels.route(List.of(), 0, LoggingLevel.WARNING, 12_000)).as("said once").isEmpty();
    }

    @Test
    void underAContinuingFloodNoWindowOfASecondEverHoldsMoreThanThree() {
        LogLevels levels = new LogLevels();
        levels.setLevel("c", "debug");
        List<Long> sentAt = new ArrayList<>();
        int sentLines = 0;
        int summarized = 0;
        for (long t = 0; t < 10_000; t += 100) {
            List<LogLine> tick = List.of(ONLINE, ONLINE, ASKED, ONLINE, ONLINE);
            for (LogLevels.Delivery d : levels.route(tick, 0, LoggingLevel.WARNING, t)) {
                sentAt.add(t);
                if (d.line().text().startsWith("and ")) {
                    summarized += Integer.parseInt(d.line().text().split(" ")[1]);
                } else {
                    sentLines++;
                }
            }
        }
        for (int i = LogThrottle.PER_SECOND; i < sentAt.size(); i++) {
            assertThat(sentAt.get(i) - sentAt.get(i - LogThrottle.PER_SECOND)).isGreaterThanOrEqualTo(LogThrottle.WINDOW_MS);
        }
        assertThat(sentAt.size()).isBetween(28, 30);
        // every line is either sent or counted in a summary (the last second's count is still held)
        assertThat(sentLines + summarized).isLessThanOrEqualTo(500).isGreaterThan(400);
    }

    @Test
    void linesLostBeforeRoutingAreCountedForClientsWhoseLevelTheyReach() {
        LogLevels levels = new LogLevels();
        levels.setLevel("info", "info");
        levels.setLevel("error", "error");
        assertThat(levels.route(List.of(), 7, LoggingLevel.WARNING, 0)).isEmpty();
        assertThat(levels.route(List.of(), 0, LoggingLevel.WARNING, 1)).singleElement().satisfies(d -> {
            assertThat(d.connection()).isEqualTo("info");
            assertThat(d.line().text()).startsWith("and 7 more");
        });
    }

    @Test
    void connectionsAreBoundedLeastRecentlyActiveFirstAndForgotten() {
        LogLevels levels = new LogLevels();
        for (int i = 0; i <= LogLevels.MAX_CONNECTIONS; i++) {
            levels.setLevel("c" + i, "info");
        }
        assertThat(levels.level("c0")).isNull();
        assertThat(levels.level("c1")).isEqualTo(LoggingLevel.INFO);
        assertThat(levels.route(List.of(ONLINE), 0, LoggingLevel.WARNING, 0)).hasSize(LogLevels.MAX_CONNECTIONS);
        levels.forget("c1");
        assertThat(levels.level("c1")).isNull();
    }

    @Test
    void longLinesAreCut() {
        LogLine l = new LogLine(LoggingLevel.WARNING, "x".repeat(5000));
        assertThat(l.text()).hasSize(LogLine.MAX_CHARS).endsWith("…");
        assertThat(l.notification().logger()).isEqualTo(LogLine.LOGGER);
    }
}
