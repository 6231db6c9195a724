package org.opencodemcp.connector.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each running connector on this machine is doing, for {@code status}: one small file per instance,
 * {@code $XDG_STATE_HOME/opencode-connected/instances/NAME.state} (0600), holding the pid and the link's
 * one-line state ("registered in ...", "reconnecting; last problem: ..."). Refreshed every second while
 * the connector runs, removed when it ends; a file whose pid is gone is ignored.
 */
public final class LinkStateFile implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LinkStateFile.class);
    private static final long MAX_BYTES = 8192;

    /** One running connector as {@code status} shows it. */
    public record Entry(String name, long pid, String state) { }

    private final Path file;
    private final Supplier<String> state;
    private final Thread thread;
    private volatile boolean closed;

    private LinkStateFile(Path file, Supplier<String> state) {
        this.file = file;
        this.state = state;
        this.thread = new Thread(this::refresh, "opencode-connected-state-file");
        this.thread.setDaemon(true);
    }

    public static Path directory(Map<String, String> env) {
        return LogSetup.stateDir(env).resolve("instances");
    }

    /** Starts refreshing the file; failures only cost the status line, never the run. */
    public static LinkStateFile start(Map<String, String> env, String name, Supplier<String> state) {
        LinkStateFile f = new LinkStateFile(directory(env).resolve(name + ".state"), state);
        f.thread.start();
        return f;
    }

    private void refresh() {
        String last = null;
        while (!closed) {
            String now = state.get();
            if (!now.equals(last)) {
                write(now);
                last = now;
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void write(String now) {
        try {
            Files.createDirectories(file.getParent(), PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            Path tmp = Files.createTempFile(file.getParent(), ".state-", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            String oneLine = now.replaceAll("[\\r\\n]+", " ");
            Files.writeString(tmp, "pid=" + ProcessHandle.current().pid() + "\nupdated=" + Instant.now() + "\nstate="
                    + oneLine + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot write {} for status: {}", file, e.toString());
        }
    }

    /** The connectors running on this machine (files of dead processes are skipped). */
    public static List<Entry> running(Map<String, String> env) {
        List<Entry> out = new ArrayList<>();
        Path dir = directory(env);
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".state")).sorted().toList()) {
                read(f).filter(e -> ProcessHandle.of(e.pid()).map(ProcessHandle::isAlive).orElse(false))
                        .ifPresent(out::add);
            }
        } catch (IOException e) {
            LOG.debug("cannot list {}: {}", dir, e.toString());
        }
        return out;
    }

    private static Optional<Entry> read(Path f) {
        try {
            if (Files.size(f) > MAX_BYTES) {
                return Optional.empty();
            }
            long pid = -1;
            String state = "";
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                if (line.startsWith("pid=")) {
                    pid = Long.parseLong(line.substring(4).trim());
                } else if (line.startsWith("state=")) {
                    state = line.substring(6);
                }
            }
            String name = f.getFileName().toString().replaceFirst("\\.state$", "");
            return pid > 0 ? Optional.of(new Entry(name, pid, state)) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.debug("cannot remove {}: {}", file, e.toString());
        }
    }
}
