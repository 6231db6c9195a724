package org.opencodemcp.connector.run;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * Sends all logging to a file, so the TUI's screen stays clean. Must run before the first logger is
 * created: slf4j-simple reads its settings once. With the TUI, {@code System.err} itself goes to the
 * file too (stray library output would otherwise draw over the TUI); headless, it goes to both.
 * The person's terminal is still reachable through {@link #terminal()} for short messages.
 */
public final class LogSetup {

    private static final long ROTATE_AT = 10L * 1024 * 1024;
    private static PrintStream terminal = System.err;

    private LogSetup() {}

    /** The default log file: {@code $XDG_STATE_HOME/opencode-connected/opencode-connected.log}. */
    public static Path defaultFile(Map<String, String> env) {
        String configured = env.get("OPENCODE_CONNECTED_LOG");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return stateDir(env).resolve("opencode-connected.log");
    }

    /** The connector's own state directory: {@code $XDG_STATE_HOME/opencode-connected} (default ~/.local/state). */
    static Path stateDir(Map<String, String> env) {
        String state = env.get("XDG_STATE_HOME");
        Path base = state != null && !state.isBlank() ? Path.of(state)
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".local", "state");
        return base.resolve("opencode-connected");
    }

    public static void toFile(Path file, boolean alsoTerminal, boolean debug) {
        terminal = System.err;
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd HH:mm:ss.SSS");
        System.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
        System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", debug ? "debug" : "info");
        OutputStream log;
        try {
            log = open(file);
        } catch (IOException e) {
            terminal.println("opencode-connected: cannot write the log file " + file + " (" + e.getMessage()
                    + "); logging to stderr. Choose another with --log-file.");
            return;
        }
        OutputStream target = alsoTerminal ? new Tee(log, terminal) : log;
        System.setErr(new PrintStream(target, true, StandardCharsets.UTF_8));
    }

    /** The terminal's stderr as it was before logging was redirected. */
    public static PrintStream terminal() {
        return terminal;
    }

    private static OutputStream open(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        if (Files.isRegularFile(file) && Files.size(file) > ROTATE_AT) {
            Files.move(file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.exists(file)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        return new FileOutputStream(file.toFile(), true);
    }

    /** Writes to two streams. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public void flush() throws IOException {
            a.flush();
            b.flush();
        }
    }
}
