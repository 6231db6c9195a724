package org.opencodemcp.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.opencodemcp.testkit.FakeOpenCode;
import org.opencodemcp.testkit.ServerEnvironment;
import org.opencodemcp.testkit.TempDirs;

/**
 * {@code scripts/bench}: what users feel, measured on this machine against a fleet of
 * {@link FakeOpenCode}s in this JVM, with the packaged server started by the user's launcher
 * ({@code scripts/opencode-mcp}) and driven over stdio. Everything is on loopback; one run takes about
 * a minute. Progress goes to stderr; the table (or {@code --json}) to stdout.
 */
public final class Bench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DISCOVERY_TRIALS = 50;
    private static final int REMOVAL_TRIALS = 50;
    private static final int COLD_STARTS = 10;
    private static final int LIST_CALLS = 300;
    /** Gap between list_instances polls while waiting for a change: each poll costs the server a render at 200 instances. */
    private static final long POLL_GAP_NANOS = Long.parseLong(System.getenv().getOrDefault("BENCH_POLL_GAP_US", "2000")) * 1000;

    private final Path launcher;
    private final Path work = TempDirs.create("opencode-mcp-bench");
    private final Path log = work.resolve("server-stderr.log");
    private final List<Row> rows = new ArrayList<>();
    private final Map<String, Object> facts = new LinkedHashMap<>();

    /** One line of the table: a figure, its target and whether the target is met. */
    record Row(String key, String what, String value, String target, Boolean met, Map<String, Object> data) {}

    private final java.util.Set<String> only;

    private Bench(Path launcher, java.util.Set<String> only) {
        this.launcher = launcher;
        this.only = only;
    }

    private boolean phase(String name) {
        return only.isEmpty() || only.contains(name);
    }

    public static void main(String[] args) throws Exception {
        boolean json = false;
        Path launcher = null;
        java.util.Set<String> only = new java.util.HashSet<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--json" -> json = true;
                case "--launcher" -> launcher = Path.of(args[++i]);
                case "--only" -> only.addAll(List.of(args[++i].split(",")));
                case "--serve-fleet" -> {
                    if (args.length != i + 3 || !args[i + 1].matches("[1-9][0-9]{0,4}")) {
                        usage();
                    }
                    serveFleet(Integer.parseInt(args[i + 1]), Path.of(args[i + 2]));
                    return;
                }
                default -> usage();
            }
        }
        if (launcher == null) {
            launcher = Path.of("scripts", "opencode-mcp");
        }
        Bench bench = new Bench(launcher.toAbsolutePath(), only);
        long t0 = System.nanoTime();
        try {
            bench.run();
        } finally {
            if (System.getenv("BENCH_KEEP") == null) {
                TempDirs.deleteRecursively(bench.work);
            } else {
                progress("kept " + bench.work + " (server stderr in server-stderr.log)");
            }
        }
        bench.facts.put("loadAverageAtEnd", Machine.loadAverage());
        bench.facts.put("benchSeconds", Math.round((System.nanoTime() - t0) / 1e8) / 10.0);
        System.out.println(json ? bench.json() : bench.table());
        System.exit(0); // fakes and clients hold daemon threads only, but be sure
    }

    private void run() throws Exception {
        facts.put("when", Instant.now().toString());
        facts.put("machine", Machine.describe());
        facts.put("launcher", launcher.toString());
        facts.put("serverJavaOpts", System.getenv().getOrDefault("OPENCODE_MCP_JAVA_OPTS", ""));

        if (phase("start")) {
            coldStarts();
        }
        if (phase("misbehaving")) {
            misbehavingFleet();
        }
        if (phase("jobs")) {
            JobsBench.run(launcher, work, log, rows);
        }
        if (!phase("10") && !phase("200") && !phase("1000")) {
            return;
        }

        progress("starting 1,050 fake opencode servers");
        List<FakeOpenCode> fleet = new ArrayList<>();
        List<FakeOpenCode> extras = new ArrayList<>();
        long f0 = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            fleet.add(FakeOpenCode.start("/bench/fleet/" + i));
        }
        for (int i = 0; i < DISCOVERY_TRIALS; i++) {
            extras.add(FakeOpenCode.start("/bench/new/" + i));
        }
        facts.put("fakeFleetStartMs", ms(System.nanoTime() - f0));
        try {
            if (phase("10")) {
                smallFleet(fleet.subList(0, 10));
            }
            if (phase("200")) {
                mediumFleet(fleet.subList(0, 200), extras);
            }
            if (phase("1000")) {
                largeFleet(fleet);
            }
        } finally {
            fleet.forEach(FakeOpenCode::close);
            extras.forEach(FakeOpenCode::close);
        }
    }

    // ---- cold start, idle RSS, exit ------------------------------------------------------------------

    private void coldStarts() throws Exception {
        Path empty = Files.createDirectories(work.resolve("empty"));
        progress("cold start: 1 unmeasured start (makes the launcher's class-data archive if missing), then " + COLD_STARTS);
        double first;
        try (StdioSession s = StdioSession.start(launcher, empty, log)) {
            StdioSession.Reply r = s.initialize();
            first = (r.arrivedNanos() - s.startedNanos()) / 1e6;
        }
        facts.put("firstStartMs", round(first));
        facts.put("classDataArchiveUsable", archiveUsable());
        double[] init = new double[COLD_STARTS];
        double[] hwm = new double[COLD_STARTS];
        double[] exit = new double[COLD_STARTS];
        double[] firstCall = new double[COLD_STARTS];
        for (int i = 0; i < COLD_STARTS; i++) {
            try (StdioSession s = StdioSession.start(launcher, empty, log)) {
                StdioSession.Reply r = s.initialize();
                init[i] = (r.arrivedNanos() - s.startedNanos()) / 1e6;
                StdioSession.Reply l = s.callTool("list_instances", 30);
                firstCall[i] = (l.arrivedNanos() - s.startedNanos()) / 1e6;
                s.request("tools/list", Map.of(), 30);
                Thread.sleep(700); // idle: let the registry's first scan and the watcher settle
                hwm[i] = s.peakRssMiB();
                exit[i] = s.closeStdinAndWait(10);
            }
        }
        rows.add(row("coldStart", "cold start: process start -> initialize answered (median of 10)",
                Stats.of(init), "median", 250, "ms"));
        rows.add(info("firstToolCall", "process start -> first list_instances answered (median of 10)", Stats.of(firstCall)));
        rows.add(row("rssIdle", "peak RSS idle (VmHWM after initialize + tools/list + list_instances, median of 10)",
                Stats.of(hwm), "median", 80, "MiB"));
        rows.add(row("exitIdle", "exit after stdin closes, idle (median / max of 10)", Stats.of(exit), "max", 100, "ms"));
    }

    /**
     * Cold starts with a registry to read (issue 18: under 300 ms at N=200): process start -> initialize,
     * then -> the first list_instances that sees every registration online, then exit, while the
     * registry is busy (its scan and probes start with the first list_instances, or after the server's first
     * answer).
     */
    private void coldStartsWith(Path dir, int registrations) throws Exception {
        try (StdioSession s = StdioSession.start(launcher, dir, log)) {
            s.initialize(); // unmeasured, as in coldStarts: makes the launcher's class cache when the jar is new
        }
        double[] init = new double[COLD_STARTS];
        double[] allOnline = new double[COLD_STARTS];
        double[] exit = new double[COLD_STARTS];
        for (int i = 0; i < COLD_STARTS; i++) {
            try (StdioSession s = StdioSession.start(launcher, dir, log)) {
                StdioSession.Reply r = s.initialize();
                init[i] = (r.arrivedNanos() - s.startedNanos()) / 1e6;
                awaitList(s, v -> v.online == registrations, 60, registrations + " online");
                allOnline[i] = (System.nanoTime() - s.startedNanos()) / 1e6;
                exit[i] = s.closeStdinAndWait(10);
            }
        }
        rows.add(row("coldStart200", "cold start, 200 registered: process start -> initialize answered (median of 10)",
                Stats.of(init), "median", 300, "ms"));
        rows.add(info("online200", "cold start, 200 registered: process start -> all 200 online (median of 10)",
                Stats.of(allOnline)));
        rows.add(row("exit200", "exit after stdin closes, 200 online (median / max of 10)", Stats.of(exit), "max", 100, "ms"));
    }

    /**
     * Whether the launcher's class cache maps: the same start with -XX:AOTMode=on (JDK 25+ AOT cache) or
     * -Xshare:on (AppCDS archive) fails if the JVM would drop it. Prints the runtime and cache in use.
     */
    private boolean archiveUsable() throws Exception {
        String version = launcherVersion("");
        progress("launcher: " + version.replace('\n', ';'));
        String strict = version.contains("class cache: AOT cache") ? "-XX:AOTMode=on" : "-Xshare:on";
        String opts = System.getenv().getOrDefault("OPENCODE_MCP_JAVA_OPTS", "");
        String out = launcherVersion((opts + " " + strict).trim());
        boolean ok = out.startsWith("opencode-mcp ");
        if (!ok) {
            progress("WARNING: the class cache is not usable, cold starts run without it:\n" + out);
        }
        return ok;
    }

    /** {@code launcher --version} (stdout and stderr), with OPENCODE_MCP_JAVA_OPTS set when {@code opts} is not empty. */
    private String launcherVersion(String opts) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "--version");
        if (!opts.isEmpty()) {
            pb.environment().put("OPENCODE_MCP_JAVA_OPTS", opts);
        }
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        return p.waitFor() == 0 ? out : "exit " + p.exitValue() + ": " + out;
    }

    // ---- 10 instances ---------------------------------------------------------------------------------

    private void smallFleet(List<FakeOpenCode> fakes) throws IOException {
        Path dir = register("r10", fakes);
        progress("10 instances: list_instances latency");
        try (StdioSession s = StdioSession.start(launcher, dir, log)) {
            s.initialize();
            awaitList(s, v -> v.online == fakes.size(), 30, "10 online");
            rows.add(row("list10", "list_instances over stdio, 10 instances", listLatency(s), "median", 1, "ms"));
            rows.add(info("sessions10", "list_sessions on one instance, 10 registered", sessionsLatency(s)));
        }
    }

    // ---- 200 instances: list, discovery, removal ------------------------------------------------------

    private void mediumFleet(List<FakeOpenCode> fakes, List<FakeOpenCode> extras) throws Exception {
        Path dir = register("r200", fakes);
        progress("200 instances: " + COLD_STARTS + " cold starts, startup discovery, list_instances latency, "
                + DISCOVERY_TRIALS + " discoveries, " + REMOVAL_TRIALS + " removals");
        coldStartsWith(dir, fakes.size());
        try (StdioSession s = StdioSession.start(launcher, dir, log)) {
            s.initialize();
            awaitList(s, v -> v.online == fakes.size(), 60, "200 online");
            rows.add(info("allOnline200", "process start -> 200 registered instances online",
                    Stats.of(new double[] {(System.nanoTime() - s.startedNanos()) / 1e6})));
            rows.add(row("list200", "list_instances over stdio, 200 instances", listLatency(s), "median", 0.5, "ms"));
            rows.add(info("sessions200", "list_sessions on one instance, 200 registered", sessionsLatency(s)));
            rows.add(row("fleetStatus200", "fleet_status over stdio, 200 instances, 20 permissions waiting",
                    fleetStatusLatency(s, fakes), "p99", 5, "ms"));

            double[] discovery = new double[extras.size()];
            for (int i = 0; i < extras.size(); i++) {
                FakeOpenCode fake = extras.get(i);
                String name = "bench-new-" + i;
                Path tmp = dir.resolve("." + name + ".json.tmp-bench");
                Files.writeString(tmp, registration(name, fake));
                long t0 = System.nanoTime();
                Files.move(tmp, dir.resolve(name + ".json"), StandardCopyOption.ATOMIC_MOVE);
                awaitList(s, Map.of("query", name), v -> "online".equals(v.states.get(name)), 30, name + " online");
                discovery[i] = (System.nanoTime() - t0) / 1e6;
                Thread.sleep(20);
            }
            rows.add(row("discovery", "discovery: file renamed into place -> online in list_instances (200 registered, 50 trials)",
                    Stats.of(discovery), "p99", 50, "ms"));

            double[] removal = new double[extras.size()];
            for (int i = 0; i < extras.size(); i++) {
                String name = "bench-new-" + i;
                long t0 = System.nanoTime();
                extras.get(i).close();
                awaitList(s, Map.of("query", name), v -> "unreachable".equals(v.states.get(name)), 30, name + " unreachable");
                removal[i] = (System.nanoTime() - t0) / 1e6;
                Thread.sleep(20);
            }
            rows.add(row("removal", "removal: fake's port closes -> unreachable in list_instances (50 trials)",
                    Stats.of(removal), "p99", 1000, "ms"));
        }
    }

    // ---- 1,000 instances: list, RSS, refresh with half dead, exit -------------------------------------

    private void largeFleet(List<FakeOpenCode> fakes) throws Exception {
        Path dir = register("r1000", fakes);
        progress("1,000 instances: startup discovery, list_instances latency, RSS, SDK client, refresh with half dead");
        try (StdioSession s = StdioSession.start(launcher, dir, log)) {
            s.initialize();
            // "fleet visible": every registration listed, in whatever state (probing included)
            awaitList(s, v -> v.listed == fakes.size(), 120, "1,000 listed");
            rows.add(row("listed1000", "process start -> 1,000 registrations listed (any state)",
                    Stats.of(new double[] {(System.nanoTime() - s.startedNanos()) / 1e6}), "max", 1500, "ms"));
            awaitList(s, v -> v.online == fakes.size(), 120, "1,000 online");
            rows.add(info("allOnline1000", "process start -> 1,000 registered instances online",
                    Stats.of(new double[] {(System.nanoTime() - s.startedNanos()) / 1e6})));
            facts.put("serverThreadsAt1000", s.threads());
            rows.add(row("list1000", "list_instances over stdio, 1,000 instances", listLatency(s), "median", 1, "ms"));
            rows.add(info("sessions1000", "list_sessions on one instance, 1,000 registered", sessionsLatency(s)));
            int bytes = s.callTool("list_instances", 30).line().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            facts.put("listInstancesReplyBytesAt1000", bytes);
            rows.add(row("list1000bytes", "list_instances default answer (first page), 1,000 instances: JSON-RPC line",
                    Stats.of(new double[] {bytes}), "max", 32 * 1024, "bytes"));

            try {
                sdkClient(dir, fakes.size());
            } catch (RuntimeException e) {
                progress("the MCP Java SDK client session failed: " + e);
                facts.put("sdkClientFailure", e.toString());
            }

            progress("closing 500 of the 1,000 fakes");
            long c0 = System.nanoTime();
            fakes.subList(500, 1000).parallelStream().forEach(FakeOpenCode::close);
            long k0 = System.nanoTime();
            facts.put("closing500FakesMs", ms(k0 - c0));
            awaitList(s, v -> v.unreachable == 500 && v.online == 500, 60, "500 unreachable");
            rows.add(info("massRemoval", "500 fakes closed at once -> all 500 unreachable (from the last close)",
                    Stats.of(new double[] {(System.nanoTime() - k0) / 1e6})));
            double[] refresh = new double[5];
            for (int i = 0; i < refresh.length; i++) {
                StdioSession.Reply r = s.callTool("refresh_instances", 60);
                refresh[i] = r.millis();
                View v = view(r);
                if (v.online != 500 || v.unreachable != 500) {
                    throw new IllegalStateException("refresh_instances: expected 500 online and 500 unreachable, got " + v);
                }
            }
            rows.add(row("refresh1000", "refresh_instances, 1,000 registrations, half dead (median / max of 5)",
                    Stats.of(refresh), "median", 250, "ms"));
            if (System.getenv("BENCH_PAUSE") != null) { // for a look with jcmd: BENCH_PAUSE=<seconds>
                progress("pausing " + System.getenv("BENCH_PAUSE") + " s; server pid " + s.pid());
                Thread.sleep(1000L * Integer.parseInt(System.getenv("BENCH_PAUSE")));
            }
            rows.add(row("rss1000", "peak RSS with 1,000 instances (VmHWM at the end of the session)",
                    Stats.of(new double[] {s.peakRssMiB()}), "median", 160, "MiB"));
            rows.add(row("exit1000", "exit after stdin closes, 500 online + 500 unreachable", Stats.of(new double[] {s.closeStdinAndWait(10)}),
                    "max", 100, "ms"));
        }
    }

    /** list_instances through the MCP Java SDK client: what a Java MCP client application sees (its parsing included). */
    private void sdkClient(Path dir, int expected) {
        ServerParameters params = ServerParameters.builder(launcher.toString()).env(ServerEnvironment.of(dir)).build();
        StdioClientTransport transport = new StdioClientTransport(params, new JacksonMcpJsonMapper(new ObjectMapper()));
        transport.setStdErrorHandler(line -> { });
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60))
                .initializationTimeout(Duration.ofSeconds(60))
                .clientInfo(new McpSchema.Implementation("opencode-mcp-bench-sdk", "1")).build();
        try {
            client.initialize();
            McpSchema.CallToolRequest req = McpSchema.CallToolRequest.builder().name("list_instances").arguments(Map.of()).build();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (true) {
                McpSchema.CallToolResult r = client.callTool(req);
                Object counts = ((Map<?, ?>) r.structuredContent()).get("counts");
                if (counts instanceof Map<?, ?> c && Integer.valueOf(expected).equals(c.get("online"))) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("SDK client: instances never all online: " + counts);
                }
                sleepMs(50);
            }
            double[] t = new double[100];
            for (int i = 0; i < 50; i++) {
                client.callTool(req);
            }
            for (int i = 0; i < t.length; i++) {
                long t0 = System.nanoTime();
                client.callTool(req);
                t[i] = (System.nanoTime() - t0) / 1e6;
            }
            rows.add(info("list1000sdk", "list_instances, 1,000 instances, MCP Java SDK client (client-side parse included)", Stats.of(t)));
        } finally {
            client.closeGracefully();
        }
    }

    // ---- 200 instances that refuse every event stream ------------------------------------------------

    /**
     * The storm that was: 200 instances answer 404 on both event routes. Once they are online and
     * settled, the server's idle traffic to them is counted for 20 s (goal: under one request per
     * instance per 5 s), and list latencies are taken beside the well-behaved fleet's.
     */
    private void misbehavingFleet() throws Exception {
        int n = 200;
        progress(n + " instances without event streams: idle traffic, list_instances, list_sessions");
        List<FakeOpenCode> fakes = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                fakes.add(FakeOpenCode.start("/bench/refusing/" + i, FakeOpenCode.Fault.NO_EVENTS));
            }
            Path dir = register("refusing200", fakes);
            try (StdioSession s = StdioSession.start(launcher, dir, log)) {
                s.initialize();
                awaitList(s, v -> v.online == n, 60, n + " refusing instances online");
                Thread.sleep(15_000); // past the first stream retries: the steady state is what a fleet lives in
                long before = fakes.stream().mapToLong(FakeOpenCode::requestCount).sum();
                long t0 = System.nanoTime();
                Thread.sleep(20_000);
                long requests = fakes.stream().mapToLong(FakeOpenCode::requestCount).sum() - before;
                double seconds = (System.nanoTime() - t0) / 1e9;
                double perInstancePer5s = requests / (double) n / seconds * 5;
                rows.add(row("idleTrafficRefusing200", "idle requests per instance per 5 s, 200 instances refusing event streams",
                        Stats.of(new double[] {round(perInstancePer5s)}), "median", 1, "req"));
                facts.put("idleRequestsPerSecondRefusing200", round(requests / seconds));
                rows.add(info("list200refusing", "list_instances over stdio, 200 instances refusing event streams", listLatency(s)));
                rows.add(info("sessions200refusing", "list_sessions on one instance, 200 refusing event streams", sessionsLatency(s)));
            }
        } finally {
            fakes.forEach(FakeOpenCode::close);
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    /** list_sessions on the first instance ({@code bench-0}): a call through to one OpenCode. */
    private Stats sessionsLatency(StdioSession s) {
        Map<String, Object> args = Map.of("instance", "bench-0");
        for (int i = 0; i < 30; i++) {
            s.callTool("list_sessions", args, 30);
        }
        double[] t = new double[100];
        for (int i = 0; i < t.length; i++) {
            StdioSession.Reply r = s.callTool("list_sessions", args, 30);
            if (r.json().path("result").path("isError").asBoolean(false)) {
                throw new IllegalStateException("list_sessions failed: " + r.line());
            }
            t[i] = r.millis();
            LockSupport.parkNanos(200_000);
        }
        return Stats.of(t);
    }


    private Stats listLatency(StdioSession s) {
        return toolLatency(s, "list_instances");
    }

    /** {@value #LIST_CALLS} calls of {@code tool} without arguments after 100 to warm up (JIT, caches). */
    private static Stats toolLatency(StdioSession s, String tool) {
        for (int i = 0; i < 100; i++) {
            s.callTool(tool, 30);
        }
        double[] t = new double[LIST_CALLS];
        for (int i = 0; i < t.length; i++) {
            t[i] = s.callTool(tool, 30).millis();
            LockSupport.parkNanos(200_000);
        }
        return Stats.of(t);
    }

    /**
     * fleet_status with something to show: every tenth fake asks a permission (its event stream), so 20
     * waits sit in live state among 200 instances; the answer comes from live state only (issue #15: under 5 ms).
     */
    private static Stats fleetStatusLatency(StdioSession s, List<FakeOpenCode> fakes) {
        int asked = 0;
        for (int i = 0; i < fakes.size(); i += 10) {
            fakes.get(i).emit("{\"type\":\"permission.asked\",\"properties\":{\"id\":\"per_bench_" + i
                    + "\",\"sessionID\":\"ses_bench_" + i + "\",\"permission\":\"bash\",\"patterns\":[\"make\"],"
                    + "\"metadata\":{},\"always\":[]}}");
            asked++;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int waiting = -1;
        while (waiting != asked) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("fleet_status shows " + waiting + " waits, not " + asked + "\n" + s.tail());
            }
            LockSupport.parkNanos(POLL_GAP_NANOS);
            waiting = s.callTool("fleet_status", 30).json().path("result").path("structuredContent").path("waiting").asInt(-1);
        }
        return toolLatency(s, "fleet_status");
    }

    /** The counts and per-name states of one list_instances answer. */
    /** {@code listed}: every registration the counts cover, in any state; {@code total}: rows on this page. */
    record View(int online, int unreachable, int listed, int total, Map<String, String> states) {}

    private static View view(StdioSession.Reply r) {
        JsonNode sc = r.json().path("result").path("structuredContent");
        Map<String, String> states = new HashMap<>();
        for (JsonNode i : sc.path("instances")) {
            states.put(i.path("name").asText(), i.path("state").asText());
        }
        int listed = 0;
        for (JsonNode n : sc.path("counts")) {
            listed += n.asInt();
        }
        return new View(sc.path("counts").path("online").asInt(), sc.path("counts").path("unreachable").asInt(),
                listed, sc.path("instances").size(), states);
    }

    /** Polls list_instances about every millisecond until {@code done}; returns the elapsed ms. */
    private static double awaitList(StdioSession s, Predicate<View> done, int timeoutSeconds, String what) {
        return awaitList(s, Map.of(), done, timeoutSeconds, what);
    }

    /** Same, with list_instances arguments (a query keeps one instance on the first page of a large fleet). */
    private static double awaitList(StdioSession s, Map<String, Object> args, Predicate<View> done, int timeoutSeconds,
            String what) {
        long t0 = System.nanoTime();
        long deadline = t0 + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        View last = null;
        while (System.nanoTime() < deadline) {
            last = view(s.callTool("list_instances", args, 30));
            if (done.test(last)) {
                return (System.nanoTime() - t0) / 1e6;
            }
            LockSupport.parkNanos(POLL_GAP_NANOS);
        }
        throw new IllegalStateException("timed out waiting for " + what + "; last: online=" + (last == null ? "?" : last.online)
                + " unreachable=" + (last == null ? "?" : last.unreachable) + "\n" + s.tail());
    }

    private static void usage() {
        System.err.println("usage: bench [--json] [--only start,misbehaving,jobs,10,200,1000] [--launcher scripts/opencode-mcp]\n"
                + "       bench --serve-fleet <n> <registry dir>   (n fakes, 1-99999, registered there until killed: for profiling by hand)");
        System.exit(2);
    }

    /** Starts {@code n} fakes, registers them in {@code dir} (created 0700 if missing) and serves them until killed. */
    private static void serveFleet(int n, Path dir) throws Exception {
        Files.createDirectories(dir, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        List<FakeOpenCode> fakes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            fakes.add(FakeOpenCode.start("/bench/fleet/" + i));
        }
        registerInto(dir, fakes);
        progress(n + " fakes registered in " + dir + "; serving until killed");
        Thread.sleep(Long.MAX_VALUE);
    }

    private Path register(String name, List<FakeOpenCode> fakes) throws IOException {
        return registerInto(Files.createDirectories(work.resolve(name)), fakes);
    }

    /** Writes one registration per fake ({@code bench-<i>.json}) into {@code dir}, each renamed into place. */
    private static Path registerInto(Path dir, List<FakeOpenCode> fakes) throws IOException {
        for (int i = 0; i < fakes.size(); i++) {
            String n = "bench-" + i;
            Path tmp = dir.resolve("." + n + ".json.tmp-bench");
            Files.writeString(tmp, registration(n, fakes.get(i)));
            Files.move(tmp, dir.resolve(n + ".json"), StandardCopyOption.ATOMIC_MOVE);
        }
        return dir;
    }

    private static String registration(String name, FakeOpenCode fake) {
        String cwd = fake.cwd();
        ObjectNode o = JSON.createObjectNode().put("name", name).put("hostname", "benchhost").put("port", fake.port())
                .put("localPort", fake.port()).put("cwd", cwd).put("connectedAt", Instant.now().toString().replaceAll("\\.\\d+Z$", "Z"));
        return o.toString();
    }

    static Row row(String key, String what, Stats s, String metric, double target, String unit) {
        double v = metric.equals("p99") ? s.p99() : metric.equals("max") ? s.max() : s.median();
        return new Row(key, what, s.describe(unit), (metric.equals("median") ? "median" : metric) + " <= " + fmt(target) + " " + unit,
                v <= target, s.data());
    }

    static Row info(String key, String what, Stats s) {
        return new Row(key, what, s.describe("ms"), "", null, s.data());
    }

    private String table() {
        StringBuilder out = new StringBuilder();
        out.append("opencode-mcp benchmark, ").append(facts.get("when")).append('\n');
        out.append("machine: ").append(facts.get("machine")).append('\n');
        out.append("launcher: ").append(facts.get("launcher"));
        if (!"".equals(facts.get("serverJavaOpts"))) {
            out.append(" (OPENCODE_MCP_JAVA_OPTS=").append(facts.get("serverJavaOpts")).append(')');
        }
        out.append("\n\n");
        int w = rows.stream().mapToInt(r -> r.what().length()).max().orElse(10);
        int vw = rows.stream().mapToInt(r -> r.value().length()).max().orElse(10);
        out.append(String.format("%-" + w + "s  %-" + vw + "s  %s%n", "measure", "result", "target"));
        out.append("-".repeat(w + vw + 30)).append('\n');
        for (Row r : rows) {
            String verdict = r.met() == null ? "" : (r.met() ? "  ok" : "  MISSED");
            out.append(String.format("%-" + w + "s  %-" + vw + "s  %s%s%n", r.what(), r.value(), r.target(), verdict));
        }
        out.append('\n');
        facts.forEach((k, v) -> {
            if (!k.equals("when") && !k.equals("machine") && !k.equals("launcher") && !k.equals("serverJavaOpts")) {
                out.append(k).append(": ").append(v).append('\n');
            }
        });
        return out.toString().stripTrailing();
    }

    private String json() throws IOException {
        ObjectNode root = JSON.valueToTree(facts);
        ArrayNode results = root.putArray("results");
        for (Row r : rows) {
            ObjectNode o = results.addObject().put("key", r.key()).put("what", r.what()).put("target", r.target());
            if (r.met() != null) {
                o.put("met", r.met());
            }
            o.set("stats", JSON.valueToTree(r.data()));
        }
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }

    static double ms(long nanos) {
        return round(nanos / 1e6);
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    static String fmt(double v) {
        if (v >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (v >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static void sleepMs(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void progress(String message) {
        System.err.println("bench: " + message);
    }

    /** Order statistics of a sample (nearest-rank percentiles). */
    record Stats(double[] sorted) {
        static Stats of(double[] values) {
            double[] s = values.clone();
            Arrays.sort(s);
            return new Stats(s);
        }

        double pct(double p) {
            int rank = (int) Math.ceil(p * sorted.length);
            return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
        }

        double median() {
            return pct(0.5);
        }

        double p99() {
            return pct(0.99);
        }

        double max() {
            return sorted[sorted.length - 1];
        }

        String describe(String unit) {
            if (sorted.length == 1) {
                return fmt(sorted[0]) + " " + unit;
            }
            return "median " + fmt(median()) + " / p99 " + fmt(p99()) + " / max " + fmt(max()) + " " + unit + " (n=" + sorted.length + ")";
        }

        Map<String, Object> data() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("n", sorted.length);
            m.put("median", round(median()));
            m.put("p99", round(p99()));
            m.put("min", round(sorted[0]));
            m.put("max", round(max()));
            return m;
        }
    }
}
