package org.opencodemcp.server.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opencodemcp.server.OpenCodeMcpServer;
import org.opencodemcp.server.config.Settings;
import org.opencodemcp.server.instance.InstanceState;
import org.opencodemcp.server.instance.InstanceView;
import org.opencodemcp.server.support.Registrations;
import org.opencodemcp.testkit.Eventually;
import org.opencodemcp.testkit.FakeOpenCode;
import org.opencodemcp.testkit.Ports;
import org.opencodemcp.testkit.TempDirs;

/** Every state change of the registry and every bad-file case, against lightweight fake OpenCode servers. */
class InstanceRegistryTest {
    private static final Duration SOON = Duration.ofSeconds(3);

    private Path dir;
    private Path workDir;
    private InstanceRegistry registry;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void setUp() {
        dir = TempDirs.create("registry-");
        workDir = TempDirs.create("work-");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (registry != null) {
            registry.close();
        }
        for (AutoCloseable c : toClose) {
            c.close();
        }
        TempDirs.deleteRecursively(dir);
        TempDirs.deleteRecursively(workDir);
    }

    private void startRegistry(Duration pruneAfter) {
        startRegistry(pruneAfter, Duration.ofMillis(300));
    }

    private void startRegistry(Duration pruneAfter, Duration discoveryInterval) {
        Settings settings = new Settings(dir, discoveryInterval, Duration.ofMillis(800), pruneAfter,
                Duration.ofSeconds(5), Duration.ofSeconds(10), null);
        ObjectMapper json = new ObjectMapper();
        registry = OpenCodeMcpServer.newRegistry(settings, json);
        registry.start();
        registry.firstScan().join();
    }

    private void startRegistry() {
        startRegistry(Duration.ofMinutes(10));
    }

    private FakeOpenCode fake(String cwd) {
        FakeOpenCode f = FakeOpenCode.start(cwd);
        toClose.add(f);
        return f;
    }

    private Optional<InstanceView> view(String file) {
        return registry.snapshot().instances().stream().filter(v -> v.file().equals(file)).findFirst();
    }

    private void awaitState(String file, InstanceState state) {
        Eventually.await(SOON, () -> assertThat(view(file)).hasValueSatisfying(v -> assertThat(v.state()).isEqualTo(state)));
    }

    @Test
    void aNewRegistrationGoesOnlineAtOnceAndCarriesTheVersion() {
        startRegistry();
        FakeOpenCode oc = fake("/work/a");
        Registrations.write(dir, "host-a", oc.port(), "/work/a");
        awaitState("host-a.json", InstanceState.ONLINE);
        InstanceView v = view("host-a.json").orElseThrow();
        assertThat(v.version()).isEqualTo(FakeOpenCode.VERSION);
        assertThat(v.hostname()).isEqualTo("testhost");
        assertThat(v.lastSeen()).isNotNull();
        assertThat(v.reason()).isNull();
    }

    @Test
    void filesPresentAtStartupAreFoundByTheFirstScan() {
        FakeOpenCode oc = fake("/work/b");
        Registrations.write(dir, "host-b", oc.port(), "/work/b");
        startRegistry();
        awaitState("host-b.json", InstanceState.ONLINE);
    }

    @Test
    void aDeletedAndRecreatedDirectoryIsWatchedAgainAtOnce() throws Exception {
        startRegistry(Duration.ofMinutes(10), Duration.ofSeconds(30)); // no periodic rescan in time: only a renewed watch sees it
        TempDirs.deleteRecursively(dir);
        Thread.sleep(300);
        java.nio.file.Files.createDirectories(dir, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        FakeOpenCode oc = fake("/work/again");
        Registrations.write(dir, "again", oc.port(), "/work/again");
        awaitState("again.json", InstanceState.ONLINE);
    }

    @Test
    void aDeadPortIsUnreachableAndTheFileIsKept() {
        startRegistry();
        Path file = Registrations.write(dir, "dead", Ports.free(), "/work/dead");
        awaitState("dead.json", InstanceState.UNREACHABLE);
        Eventually.await(SOON, () -> assertThat(view("dead.json").orElseThrow().failures()).isGreaterThanOrEqualTo(2));
        assertThat(view("dead.json").orElseThrow().reason()).contains("connection refused");
        assertThat(file).exists();
    }

    @Test
    void anInstanceThatDiesIsNoticedFromItsEventStreamAndComesBackWhenReRegistered() {
        startRegistry();
        FakeOpenCode oc = fake("/work/c");
        Registrations.write(dir, "host-c", oc.port(), "/work/c");
        awaitState("host-c.json", InstanceState.ONLINE);
        oc.close();
        awaitState("host-c.json", InstanceState.UNREACHABLE);

        FakeOpenCode again = fake("/work/c");
        Registrations.write(dir, "host-c", again.port(), "/work/c");
        awaitState("host-c.json", InstanceState.ONLINE);
        assertThat(view("host-c.json").orElseThrow().port()).isEqualTo(again.port());
    }

    @Test
    void aPortAnsweringForAnotherDirectoryIsAMismatch() {
        startRegistry();
        FakeOpenCode other = fake("/work/someone-else");
        Registrations.write(dir, "mine", other.port(), "/work/mine");
        awaitState("mine.json", InstanceState.MISMATCH);
        assertThat(view("mine.json").orElseThrow().reason()).contains("/work/someone-else").contains("/work/mine");
    }

    @Test
    void aPortServingHtmlIsNotAnOpenCodeApi() throws Exception {
        HttpServer html = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        html.createContext("/", ex -> {
            byte[] body = "<html>hello</html>".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/html");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        html.start();
        toClose.add(() -> html.stop(0));
        startRegistry();
        Registrations.write(dir, "web", html.getAddress().getPort(), "/work/web");
        awaitState("web.json", InstanceState.MISMATCH);
        assertThat(view("web.json").orElseThrow().reason()).contains("not an OpenCode API");
    }

    @Test
    void aRemovedFileRemovesItsInstance() throws Exception {
        startRegistry();
        FakeOpenCode oc = fake("/work/d");
        Path file = Registrations.write(dir, "host-d", oc.port(), "/work/d");
        awaitState("host-d.json", InstanceState.ONLINE);
        Files.delete(file);
        Eventually.await(SOON, () -> assertThat(view("host-d.json")).isEmpty());
    }

    @Test
    void badFilesAreInvalidWithAReasonAndNeverDeleted() throws Exception {
        startRegistry();
        Registrations.writeRaw(dir, "truncated.json", "{\"name\":\"x\",\"port\":");
        Registrations.writeRaw(dir, "wrongtype.json", "{\"name\":\"x\",\"hostname\":\"h\",\"port\":\"80\",\"localPort\":1,\"cwd\":\"/x\",\"connectedAt\":\"2026-01-01T00:00:00Z\"}");
        Registrations.writeRaw(dir, "range.json", "{\"name\":\"x\",\"hostname\":\"h\",\"port\":65536,\"localPort\":1,\"cwd\":\"/x\",\"connectedAt\":\"2026-01-01T00:00:00Z\"}");
        Registrations.writeRaw(dir, "slash.json", "{\"name\":\"a/b\",\"hostname\":\"h\",\"port\":80,\"localPort\":1,\"cwd\":\"/x\",\"connectedAt\":\"2026-01-01T00:00:00Z\"}");
        Registrations.writeRaw(dir, "dots.json", "{\"name\":\"..\",\"hostname\":\"h\",\"port\":80,\"localPort\":1,\"cwd\":\"/x\",\"connectedAt\":\"2026-01-01T00:00:00Z\"}");
        Registrations.writeRaw(dir, "huge.json", "{\"name\":\"" + "x".repeat(70 * 1024) + "\"}");
        Path target = Registrations.write(workDir, "elsewhere", 80, "/x");
        Files.createSymbolicLink(dir.resolve("link.json"), target);
        Files.createDirectory(dir.resolve("folder.json"));

        Eventually.await(SOON, () -> {
            assertThat(reason("truncated.json")).contains("malformed JSON");
            assertThat(reason("wrongtype.json")).contains("must be an integer");
            assertThat(reason("range.json")).contains("out of range");
            assertThat(reason("slash.json")).contains("path separators");
            assertThat(reason("dots.json")).isNotBlank();
            assertThat(reason("huge.json")).contains("over the 65536-byte limit");
            assertThat(reason("link.json")).contains("symbolic link");
            assertThat(reason("folder.json")).contains("directory");
        });
        try (var files = Files.list(dir)) {
            assertThat(files.count()).isEqualTo(8);
        }
    }

    private String reason(String file) {
        InstanceView v = view(file).orElseThrow(() -> new AssertionError(file + " not listed"));
        assertThat(v.state()).isEqualTo(InstanceState.INVALID);
        return v.reason();
    }

    @Test
    void twoFilesClaimingOneNameAreBothInvalidUntilOneGoes() throws Exception {
        startRegistry();
        FakeOpenCode oc = fake("/work/e");
        Registrations.writeRaw(dir, "one.json", Registrations.json("same", oc.port(), "/work/e"));
        Path two = Registrations.writeRaw(dir, "two.json", Registrations.json("same", oc.port(), "/work/e"));
        awaitState("one.json", InstanceState.INVALID);
        awaitState("two.json", InstanceState.INVALID);
        assertThat(view("one.json").orElseThrow().reason()).contains("duplicate name").contains("two.json");

        Files.delete(two);
        awaitState("one.json", InstanceState.ONLINE);
    }

    @Test
    void aHalfWrittenFileBecomesValidWhenItsWriterFinishes() throws Exception {
        startRegistry();
        FakeOpenCode oc = fake("/work/f");
        String full = Registrations.json("slow", oc.port(), "/work/f");
        Path file = dir.resolve("slow.json");
        Files.writeString(file, full.substring(0, full.length() / 2)); // in place, as the bash script does
        awaitState("slow.json", InstanceState.INVALID);
        Files.writeString(file, full);
        awaitState("slow.json", InstanceState.ONLINE);
    }

    @Test
    void hiddenAndTemporaryFilesAreIgnored() throws Exception {
        startRegistry();
        Files.writeString(dir.resolve(".half.json.tmp-123"), "{");
        Files.writeString(dir.resolve(".hidden.json"), "{");
        Files.writeString(dir.resolve("notes.txt"), "hello");
        registry.refresh().join();
        assertThat(registry.snapshot().instances()).isEmpty();
    }

    @Test
    void aHeartbeatRewriteKeepsTheInstanceOnline() throws Exception {
        startRegistry();
        FakeOpenCode oc = fake("/work/g");
        Registrations.writeRaw(dir, "g.json", Registrations.json("g", oc.port(), "/work/g", Instant.now()));
        awaitState("g.json", InstanceState.ONLINE);
        Instant since = view("g.json").orElseThrow().since();
        Registrations.writeRaw(dir, "g.json", Registrations.json("g", oc.port(), "/work/g", Instant.now().plusSeconds(1)));
        Eventually.await(SOON, () -> assertThat(view("g.json").orElseThrow().heartbeatAt()).isAfter(Instant.now().minusMillis(500)));
        assertThat(view("g.json").orElseThrow().state()).isEqualTo(InstanceState.ONLINE);
        assertThat(view("g.json").orElseThrow().since()).isEqualTo(since);
    }

    @Test
    void anUnreachableInstanceWithAStaleHeartbeatIsPrunedAfterTheGrace() throws Exception {
        startRegistry(Duration.ofMillis(400));
        Path file = Registrations.write(dir, "gone", Ports.free(), "/work/gone");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(3600)));
        awaitState("gone.json", InstanceState.UNREACHABLE);
        Eventually.await(Duration.ofSeconds(5), () -> assertThat(file).doesNotExist());
        Eventually.await(SOON, () -> assertThat(view("gone.json")).isEmpty());
    }

    @Test
    void aFreshHeartbeatOrAnInvalidFileIsNeverPruned() throws Exception {
        startRegistry(Duration.ofMillis(300));
        Path alive = Registrations.writeRaw(dir, "alive.json",
                Registrations.json("alive", Ports.free(), "/work/alive", Instant.now().plus(Duration.ofHours(1))));
        Path broken = Registrations.writeRaw(dir, "broken.json", "{\"name\":");
        Files.setLastModifiedTime(broken, FileTime.from(Instant.now().minusSeconds(3600)));
        awaitState("alive.json", InstanceState.UNREACHABLE);
        awaitState("broken.json", InstanceState.INVALID);
        Thread.sleep(1500); // several prune checks pass (rescan every 300 ms)
        assertThat(alive).exists();
        assertThat(broken).exists();
    }

    @Test
    void refreshProbesEverythingAndReturnsWhenDone() {
        startRegistry();
        FakeOpenCode oc = fake("/work/h");
        Registrations.write(dir, "h", oc.port(), "/work/h");
        Registrations.write(dir, "h-dead", Ports.free(), "/work/h-dead");
        InstanceRegistry.Snapshot s = registry.refresh().join();
        assertThat(s.instances()).extracting(InstanceView::name).containsExactly("h", "h-dead");
        assertThat(s.instances()).extracting(InstanceView::state)
                .containsExactly(InstanceState.ONLINE, InstanceState.UNREACHABLE);
    }

    @Test
    void aMissingRegistryDirectoryIsCreated() {
        TempDirs.deleteRecursively(dir);
        startRegistry();
        assertThat(dir).isDirectory();
        assertThat(registry.directoryProblem()).isNull();
    }

    @Test
    void clockIsUtc() {
        assertThat(Clock.systemUTC().getZone().getId()).isEqualTo("Z");
    }

    /**
     * The first tool calls wait for the first probes of a small fleet (every instance's state is known
     * in the first answer) but list a large one as soon as it is read (issue 18: fleet visible).
     */
    @Test
    void theFirstLookWaitsForTheProbesOfASmallFleetOnlyNotOfALargeOne() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 500, java.net.InetAddress.getByName("127.0.0.1"))) {
            // accepts (the kernel completes the handshakes) and never answers: every probe waits for its timeout
            int port = silent.getLocalPort();
            for (int i = 0; i < 3; i++) {
                Registrations.write(dir, "small-" + i, port, "/work/small-" + i);
            }
            Duration waited = firstLookWait();
            assertThat(waited).as("small fleet: waits for its probes (up to the limit)").isGreaterThanOrEqualTo(Duration.ofMillis(1900));
            registry.close();
            registry = null;

            for (int i = 3; i <= FirstLook.PROBE_WAIT_MAX; i++) {
                Registrations.write(dir, "large-" + i, port, "/work/large-" + i);
            }
            waited = firstLookWait();
            assertThat(waited).as("large fleet: listed once read").isLessThan(Duration.ofMillis(1500));
            assertThat(registry.snapshot().instances()).hasSize(FirstLook.PROBE_WAIT_MAX + 1);
        }
    }

    private Duration firstLookWait() {
        Settings settings = new Settings(dir, Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofMinutes(10),
                Duration.ofSeconds(5), Duration.ofSeconds(10), null);
        registry = OpenCodeMcpServer.newRegistry(settings, new ObjectMapper());
        long t0 = System.nanoTime();
        registry.awaitFirstLook(Duration.ofSeconds(2));
        return Duration.ofNanos(System.nanoTime() - t0);
    }
}
