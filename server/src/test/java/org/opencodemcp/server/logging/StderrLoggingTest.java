package org.opencodemcp.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

class StderrLoggingTest {
    private static final DateTimeFormatter UTC_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    @Test
    void theTimeStampIsUtcToTheMillisecond() {
        Random random = new Random(18);
        long[] edges = {0L, 951_782_400_000L /* 2000-02-29 */, 4_107_542_399_999L /* 2100-02-28T23:59:59.999 */,
                1_796_218_273_803L, 253_402_300_799_999L /* 9999-12-31T23:59:59.999 */};
        for (long at : edges) {
            assertThat(stamp(at)).isEqualTo(UTC_MILLIS.format(Instant.ofEpochMilli(at)));
        }
        for (int i = 0; i < 10_000; i++) {
            long at = Math.floorMod(random.nextLong(), 253_402_300_800_000L);
            assertThat(stamp(at)).as("%d ms", at).isEqualTo(UTC_MILLIS.format(Instant.ofEpochMilli(at)));
        }
    }

    private static String stamp(long epochMillis) {
        StringBuilder out = new StringBuilder();
        StderrLogger.appendUtc(out, epochMillis);
        return out.toString();
    }

    @Test
    void aLineNamesTheLevelAndTheClassAndFillsTheMessage() {
        StderrLogger log = new StderrLogger("org.opencodemcp.server.Main", Level.INFO);
        assertThat(log.line(1_796_218_273_803L, Level.WARN, "instance {} is {}", new Object[] {"laptop", "unreachable"}))
                .isEqualTo("2026-12-02T13:31:13.803Z WARN Main - instance laptop is unreachable");
    }

    @Test
    void levelsAreInfoByDefaultAndWarnForTheSdkAndJetty() {
        assertThat(StderrLogging.levelOf("org.opencodemcp.server.registry.Probing")).isEqualTo(Level.INFO);
        assertThat(StderrLogging.levelOf("io.modelcontextprotocol.server.McpAsyncServer")).isEqualTo(Level.WARN);
        assertThat(StderrLogging.levelOf("org.eclipse.jetty.server.Server")).isEqualTo(Level.WARN);
        assertThat(StderrLogging.levelOf("io.modelcontextprotocolx.Other")).as("a prefix is whole name parts").isEqualTo(Level.INFO);

        StderrLogger info = new StderrLogger("x", Level.INFO);
        assertThat(info.isInfoEnabled()).isTrue();
        assertThat(info.isDebugEnabled()).isFalse();
        assertThat(new StderrLogger("x", null).isErrorEnabled()).as("off").isFalse();
    }

    @Test
    void slf4jSimplesPropertiesStillSetLevels() {
        // names only this test uses: other tests may log at the same time
        String name = "test.stderrlogging.a.B";
        System.setProperty(StderrLogging.LEVEL_PROPERTY_PREFIX + "test.stderrlogging.a", "debug");
        System.setProperty(StderrLogging.LEVEL_PROPERTY_PREFIX + "test.stderrlogging.off", "OFF");
        try {
            assertThat(StderrLogging.levelOf(name)).isEqualTo(Level.DEBUG);
            assertThat(StderrLogging.levelOf("test.stderrlogging.off.C")).isNull();
            assertThat(StderrLogging.levelOf("test.stderrlogging.other.C")).isEqualTo(StderrLogging.parse(
                    System.getProperty(StderrLogging.DEFAULT_LEVEL_PROPERTY), Level.INFO));
        } finally {
            System.clearProperty(StderrLogging.LEVEL_PROPERTY_PREFIX + "test.stderrlogging.a");
            System.clearProperty(StderrLogging.LEVEL_PROPERTY_PREFIX + "test.stderrlogging.off");
        }
        assertThat(StderrLogging.parse("verbose", Level.INFO)).as("an unknown word keeps the fallback").isEqualTo(Level.INFO);
    }

    @Test
    void slf4jFindsThisBackend() {
        assertThat(LoggerFactory.getILoggerFactory()).isInstanceOf(StderrLogging.class);
        assertThat(LoggerFactory.getLogger(StderrLoggingTest.class)).isSameAs(LoggerFactory.getLogger(StderrLoggingTest.class));
    }
}
