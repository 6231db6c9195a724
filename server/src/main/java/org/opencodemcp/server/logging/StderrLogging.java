package org.opencodemcp.server.logging;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The server's SLF4J backend: one line per event on stderr (stdout belongs to MCP), e.g.
 * {@code 2026-12-02T13:33:10.216Z INFO Main - opencode-mcp 0.1.0 serving stdio}, times in UTC.
 *
 * <p>Why not slf4j-simple: it makes a {@code SimpleDateFormat} when it starts, and that (locale data,
 * calendar, time zones: ~30 ms of a cold JVM) sat on the path to the first {@code initialize} answer,
 * because the first class to log starts the backend (plans/performance.md). The time stamp here is plain
 * arithmetic on the epoch.
 *
 * <p>Levels keep slf4j-simple's property names, so an existing {@code OPENCODE_MCP_JAVA_OPTS} still
 * works: {@code -Dorg.slf4j.simpleLogger.defaultLogLevel=debug} (default {@code info}) and
 * {@code -Dorg.slf4j.simpleLogger.log.<logger name prefix>=<level>}. The SDK and Jetty log at
 * {@code warn} unless set.
 */
public final class StderrLogging implements SLF4JServiceProvider, ILoggerFactory {
    static final String DEFAULT_LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";
    static final String LEVEL_PROPERTY_PREFIX = "org.slf4j.simpleLogger.log.";
    /** Chatty libraries: their info lines are not ours to show. */
    private static final Map<String, Level> QUIET_BY_DEFAULT = Map.of("io.modelcontextprotocol", Level.WARN,
            "org.eclipse.jetty", Level.WARN);
    /** Loggers are made per class (a few hundred at most), never per request. */
    private static final int MAX_LOGGERS = 4_096;

    private final Map<String, Logger> loggers = new ConcurrentHashMap<>();
    private final BasicMarkerFactory markers = new BasicMarkerFactory();
    private final NOPMDCAdapter mdc = new NOPMDCAdapter();

    @Override
    public Logger getLogger(String name) {
        Logger known = loggers.get(name);
        if (known != null) {
            return known;
        }
        Logger made = new StderrLogger(name, levelOf(name));
        return loggers.size() < MAX_LOGGERS ? loggers.computeIfAbsent(name, n -> made) : made;
    }

    /** The level set for the longest dotted prefix of {@code name}, else the default. */
    static Level levelOf(String name) {
        String prefix = name;
        while (!prefix.isEmpty()) {
            String set = System.getProperty(LEVEL_PROPERTY_PREFIX + prefix);
            if (set != null) {
                return parse(set, Level.INFO);
            }
            Level quiet = QUIET_BY_DEFAULT.get(prefix);
            if (quiet != null) {
                return quiet;
            }
            int dot = prefix.lastIndexOf('.');
            prefix = dot < 0 ? "" : prefix.substring(0, dot);
        }
        return parse(System.getProperty(DEFAULT_LEVEL_PROPERTY), Level.INFO);
    }

    /** {@code trace}, {@code debug}, {@code info}, {@code warn}, {@code error} or {@code off} (null); else {@code fallback}. */
    static Level parse(String text, Level fallback) {
        if (text == null) {
            return fallback;
        }
        return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "trace" -> Level.TRACE;
            case "debug" -> Level.DEBUG;
            case "info" -> Level.INFO;
            case "warn" -> Level.WARN;
            case "error" -> Level.ERROR;
            case "off" -> null;
            default -> fallback;
        };
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return this;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
        // nothing to read or open: stderr is looked up at each line (it may be replaced, as System.out is)
    }
}
