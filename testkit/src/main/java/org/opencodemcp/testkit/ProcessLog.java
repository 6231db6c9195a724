package org.opencodemcp.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drains a child's stdout and stderr into one log file, so the child never blocks on a full pipe, keeps
 * the last lines for failure messages and watches for the first line that matches a pattern (opencode's
 * "listening on" line).
 */
final class ProcessLog {
    private static final int TAIL_LINES = 60;

    private final Path file;
    private final Writer writer;
    private final Deque<String> tail = new ArrayDeque<>();
    private final Pattern watched;
    private final CompletableFuture<Matcher> match = new CompletableFuture<>();
    /** Readers still running; the last one to finish closes the file. */
    private final AtomicInteger openStreams = new AtomicInteger(2);

    ProcessLog(Path file, Pattern watched) {
        this.file = file;
        this.watched = watched;
        try {
            this.writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Starts one daemon reader thread per stream; they end when the child closes its side. */
    void drain(Process process, String name) {
        start(process.getInputStream(), name + "-stdout", "");
        start(process.getErrorStream(), name + "-stderr", "[err] ");
    }

    /** Completes with the first line matching the watched pattern. */
    CompletableFuture<Matcher> match() {
        return match;
    }

    Path file() {
        return file;
    }

    /** The last lines of output, oldest first, for failure messages. */
    String tail() {
        synchronized (tail) {
            return tail.isEmpty() ? "(no output)" : String.join("\n", tail);
        }
    }

    private void start(InputStream stream, String threadName, String prefix) {
        Thread thread = new Thread(() -> read(stream, prefix), threadName);
        thread.setDaemon(true);
        thread.start();
    }

    private void read(InputStream stream, String prefix) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                append(prefix + line);
                Matcher matcher = watched.matcher(line);
                if (!match.isDone() && matcher.find()) {
                    match.complete(matcher);
                }
            }
        } catch (IOException e) {
            append(prefix + "(log reader stopped: " + e + ")");
        } finally {
            if (openStreams.decrementAndGet() == 0) {
                closeFile();
            }
        }
    }

    private void closeFile() {
        synchronized (tail) {
            try {
                writer.close();
            } catch (IOException e) {
                // nothing left to save
            }
        }
    }

    private void append(String line) {
        synchronized (tail) {
            tail.addLast(line);
            while (tail.size() > TAIL_LINES) {
                tail.removeFirst();
            }
            try {
                writer.write(line);
                writer.write('\n');
                writer.flush(); // flushed per line: the file is read while the process still runs
            } catch (IOException e) {
                // the temp dir may already be deleted at close(); the tail in memory still works
            }
        }
    }
}
