package org.opencodemcp.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server process started through the user's launcher, spoken to as a plain line-based JSON-RPC
 * client: one line out, one line back, timed from just before the request is written to the moment
 * the whole answer line has been read. No client-side parsing is timed, so the figures are the
 * server's (plus the pipe), not a client library's.
 */
final class StdioSession implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");

    record Reply(String line, long sentNanos, long arrivedNanos) {
        double millis() {
            return (arrivedNanos - sentNanos) / 1e6;
        }

        JsonNode json() {
            try {
                return JSON.readTree(line);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final Process process;
    private final OutputStream stdin;
    private final long startedNanos;
    private final Map<Long, CompletableFuture<Reply>> pending = new ConcurrentHashMap<>();
    private final Map<Long, Long> sentAt = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Path stderrLog;
    private volatile long stdoutClosedNanos;

    private StdioSession(Process process, long startedNanos, Path stderrLog) {
        this.process = process;
        this.stdin = process.getOutputStream();
        this.startedNanos = startedNanos;
        this.stderrLog = stderrLog;
        Thread reader = new Thread(this::readLoop, "bench-stdout-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts the launcher with {@code RELAY_REGISTRY_DIR=registry}; the server's stderr goes to {@code stderrLog}. */
    static StdioSession start(Path launcher, Path registry, Path stderrLog) {
        // a jobs ledger in the bench's work directory (same cost as the default one), never the account's
        return start(launcher, registry, stderrLog, Map.of("JOBS_DB", registry.resolveSibling(registry.getFileName() + "-jobs.db").toString()));
    }

    static StdioSession start(Path launcher, Path registry, Path stderrLog, Map<String, String> env) {
        ProcessBuilder pb = new ProcessBuilder(launcher.toString());
        pb.environment().put("RELAY_REGISTRY_DIR", registry.toString());
        pb.environment().putAll(env);
        pb.redirectError(ProcessBuilder.Redirect.appendTo(stderrLog.toFile()));
        long t0 = System.nanoTime();
        try {
            return new StdioSession(pb.start(), t0, stderrLog);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + launcher, e);
        }
    }

    long pid() {
        return process.pid();
    }

    long startedNanos() {
        return startedNanos;
    }

    /** Sends {@code initialize} and {@code notifications/initialized}; returns the initialize reply. */
    Reply initialize() {
        Reply r = request("initialize", Map.of("protocolVersion", "2025-06-18", "capabilities", Map.of(),
                "clientInfo", Map.of("name", "opencode-mcp-bench", "version", "1")), 60);
        notify("notifications/initialized");
        return r;
    }

    Reply callTool(String name, int timeoutSeconds) {
        return callTool(name, Map.of(), timeoutSeconds);
    }

    Reply callTool(String name, Map<String, Object> arguments, int timeoutSeconds) {
        return request("tools/call", Map.of("name", name, "arguments", arguments), timeoutSeconds);
    }

    Reply request(String method, Object params, int timeoutSeconds) {
        long id = ids.incrementAndGet();
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        pending.put(id, reply);
        String line;
        try {
            line = JSON.writeValueAsString(Map.of("jsonrpc", "2.0", "id", id, "method", method, "params", params));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        sentAt.put(id, System.nanoTime());
        try {
            synchronized (stdin) {
                stdin.write(bytes);
                stdin.flush();
            }
            return reply.get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(method + " got no answer (" + e + "); server log: " + stderrLog + "\n"
                    + tail(), e);
        } finally {
            pending.remove(id);
            sentAt.remove(id);
        }
    }

    void notify(String method) {
        try {
            synchronized (stdin) {
                stdin.write(("{\"jsonrpc\":\"2.0\",\"method\":\"" + method + "\"}\n").getBytes(StandardCharsets.UTF_8));
                stdin.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Peak resident set size of the server process so far (VmHWM), in MiB; -1 if unreadable. */
    double peakRssMiB() {
        return procStatusKiB("VmHWM") / 1024.0;
    }

    int threads() {
        return (int) procStatusKiB("Threads");
    }

    private long procStatusKiB(String field) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (l.startsWith(field + ":")) {
                    return Long.parseLong(l.substring(field.length() + 1).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone or not Linux
        }
        return -1;
    }

    /** Closes stdin and waits for the process to end; returns the milliseconds it took. */
    double closeStdinAndWait(int timeoutSeconds) {
        long t0 = System.nanoTime();
        try {
            stdin.close();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Double.NaN;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            closeStdinAndWait(5);
        }
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(stderrLog);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private void readLoop() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8),
                1 << 16)) {
            String line;
            while ((line = out.readLine()) != null) {
                long now = System.nanoTime();
                Matcher m = ID.matcher(line.length() > 200 ? line.substring(0, 200) : line);
                Long id = null;
                if (m.find()) {
                    id = Long.parseLong(m.group(1));
                } else if (line.length() > 200) {
                    JsonNode n = JSON.readTree(line).get("id");
                    id = n == null ? null : n.asLong();
                }
                if (id == null) {
                    continue; // a notification
                }
                CompletableFuture<Reply> f = pending.get(id);
                Long sent = sentAt.get(id);
                if (f != null && sent != null) {
                    f.complete(new Reply(line, sent, now));
                }
            }
        } catch (IOException e) {
            // process gone
        }
        stdoutClosedNanos = System.nanoTime();
        pending.values().forEach(f -> f.completeExceptionally(new IOException("server stdout closed")));
    }
}
