package org.opencodemcp.server.logging;

import java.io.PrintStream;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** One logger of {@link StderrLogging}: its level is fixed when it is made. */
final class StderrLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;
    private static final long MILLIS_PER_DAY = 86_400_000L;

    /** the lowest level written, or null for none */
    private final Level threshold;
    private final String shortName;

    StderrLogger(String name, Level threshold) {
        this.name = name;
        this.threshold = threshold;
        this.shortName = name.substring(name.lastIndexOf('.') + 1);
    }

    private boolean enabled(Level level) {
        return threshold != null && level.toInt() >= threshold.toInt();
    }

    @Override
    public boolean isTraceEnabled() {
        return enabled(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return enabled(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return enabled(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return enabled(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return enabled(Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
            Throwable throwable) {
        String line = line(System.currentTimeMillis(), level, pattern, arguments);
        PrintStream err = System.err;
        synchronized (err) { // a line and its stack trace stay together
            err.println(line);
            if (throwable != null) {
                throwable.printStackTrace(err);
            }
        }
    }

    /** {@code <UTC time> <LEVEL> <simple class name> - <message>}, the message's {@code {}} filled in. */
    String line(long epochMillis, Level level, String pattern, Object[] arguments) {
        StringBuilder line = new StringBuilder(96);
        appendUtc(line, epochMillis);
        return line.append(' ').append(level).append(' ').append(shortName).append(" - ")
                .append(MessageFormatter.basicArrayFormat(pattern, arguments)).toString();
    }

    /** {@code yyyy-MM-ddTHH:mm:ss.SSSZ}, by arithmetic (no calendar, locale or time-zone data to load). */
    static void appendUtc(StringBuilder out, long epochMillis) {
        long day = Math.floorDiv(epochMillis, MILLIS_PER_DAY);
        int millisOfDay = (int) Math.floorMod(epochMillis, MILLIS_PER_DAY);
        // civil date from days since 1970-01-01 (Howard Hinnant's days_from_civil, inverted)
        long z = day + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long mp = (5 * dayOfYear + 2) / 153;
        int dayOfMonth = (int) (dayOfYear - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        out.append(year).append('-');
        two(out, month).append('-');
        two(out, dayOfMonth).append('T');
        two(out, millisOfDay / 3_600_000).append(':');
        two(out, millisOfDay / 60_000 % 60).append(':');
        two(out, millisOfDay / 1_000 % 60).append('.');
        int millis = millisOfDay % 1_000;
        out.append((char) ('0' + millis / 100)).append((char) ('0' + millis / 10 % 10)).append((char) ('0' + millis % 10)).append('Z');
    }

    private static StringBuilder two(StringBuilder out, int value) {
        return out.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }
}
