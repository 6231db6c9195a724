package org.opencodemcp.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencodemcp.server.support.McpStdioServer;
import org.opencodemcp.testkit.Eventually;
import org.opencodemcp.testkit.FakeLlm;
import org.opencodemcp.testkit.FakeReply;
import org.opencodemcp.testkit.OpenCodeBinary;
import org.opencodemcp.testkit.OpenCodeConfig;
import org.opencodemcp.testkit.OpenCodeServer;
import org.opencodemcp.testkit.OpenSshServer;
import org.opencodemcp.testkit.SshClientKey;
import org.opencodemcp.testkit.TempDirs;

/**
 * The whole chain with real parts only (the LLM is the one fake): the packaged {@code opencode-connected}
 * jar launches a real {@code opencode serve}, opens a reverse tunnel to the real OpenSSH sshd on
 * 127.0.0.1 and registers over SFTP; the packaged {@code opencode-mcp} (real MCP SDK client over stdio)
 * discovers it and {@code send_message} gets the fake LLM's reply back through the tunnel. Then the
 * tunnel and process faults of issue 6, each with its measured time printed to stderr.
 *
 * <p>One sshd, fake LLM and MCP server are shared by the class; each test runs its own connector.
 */
class FullChainIT {
    static final String NAME = "chain";
    static final String REPLY = "Hello through the tunnel.";
    static final Path CONNECTOR_JAR = Path.of(System.getProperty("connector.jar", "../connector/target/opencode-connected.jar"));

    static Path root;
    static Path registry;
    static FakeLlm llm;
    static OpenSshServer sshd;
    static SshClientKey key;
    static Path knownHosts;
    static Path sshConfig;
    static McpStdioServer mcp;

    final List<Process> connectors = new ArrayList<>();
    final List<ProcessHandle> opencodes = new ArrayList<>();
    final List<McpStdioServer> extraServers = new ArrayList<>();
    Path out;

    @BeforeAll
    static void startShared() throws Exception {
        OpenSshServer.requireSshd();
        assertThat(CONNECTOR_JAR).as("the connector is packaged before the server's ITs (reactor order)").exists();
        root = TempDirs.create("full-chain-");
        registry = Files.createDirectories(root.resolve("registry"));
        llm = FakeLlm.start();
        llm.on("CHAIN-HELLO", FakeReply.text("Hello ", "through ", "the ", "tunnel."));
        Path sshDir = root.resolve("sshd");
        key = SshClientKey.generate(Files.createDirectories(root.resolve("client")));
        sshd = OpenSshServer.start(sshDir, key);
        knownHosts = sshd.writeKnownHosts(root.resolve("client/known_hosts"));
        // keepalives every second, two missed = dead: a stalled relay is noticed in about 3 s
        sshConfig = Files.writeString(root.resolve("client/ssh_config"),
                "Host *\n  ServerAliveInterval 1\n  ServerAliveCountMax 2\n");
        mcp = McpStdioServer.start(registry);
    }

    @AfterAll
    static void stopShared() {
        if (mcp != null) {
            mcp.close();
        }
        if (sshd != null) {
            sshd.close();
        }
        if (llm != null) {
            llm.close();
        }
        if (root != null) {
            TempDirs.deleteRecursively(root);
        }
    }

    @AfterEach
    void killEverythingStarted() {
        System.err.println("---- connector output\n" + output() + "---- end of connector output");
        for (Process p : connectors) {
            opencodes.addAll(p.descendants().toList());
            p.destroyForcibly();
        }
        for (ProcessHandle h : opencodes) {
            h.descendants().forEach(ProcessHandle::destroyForcibly);
            h.destroyForcibly();
        }
        for (Process p : connectors) {
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        extraServers.forEach(McpStdioServer::close);
        try {
            Files.deleteIfExists(registry.resolve(NAME + ".json"));
        } catch (IOException ignored) {
            // best effort
        }
    }

    @Test
    void sendMessageThroughTheChainSurvivesSessionKillSshdRestartStallAndServerRestart() throws Exception {
        long t0 = System.nanoTime();
        Process connector = startConnector();
        Map<String, Object> reg = awaitRegistration(null, Duration.ofSeconds(60));
        awaitOnline(reg, Duration.ofSeconds(10));
        measured("launch -> registration -> online in opencode-mcp", t0);
        sendAndExpectReply("first", true);

        // 1. the relay drops the connection: the connector's per-connection sshd dies
        long t1 = System.nanoTime();
        assertThat(sshd.killSessions()).as("the connector's sshd session").isGreaterThanOrEqualTo(1);
        reg = reregistered(reg);
        measured("sshd session killed -> re-registered (relay port " + reg.get("port") + ") and online", t1);
        sendAndExpectReply("after session kill", false);

        // 2. sshd restarts: listener and sessions gone, a new listener on the same port
        long t2 = System.nanoTime();
        sshd.restart();
        reg = reregistered(reg);
        measured("sshd restarted -> re-registered (relay port " + reg.get("port") + ") and online", t2);
        sendAndExpectReply("after sshd restart", false);

        // 3. stalled network: the session processes are frozen longer than the keepalive window (1 s x 2)
        long t3 = System.nanoTime();
        int reconnectsBefore = count(output(), "reconnecting to the relay");
        List<ProcessHandle> paused = sshd.pauseSessions();
        assertThat(paused).isNotEmpty();
        try {
            Eventually.await(Duration.ofSeconds(20), () -> assertThat(count(output(), "reconnecting to the relay"))
                    .as(this::output).isGreaterThan(reconnectsBefore));
            measured("sshd session stopped (SIGSTOP) -> connector noticed", t3);
        } finally {
            sshd.resumeSessions(paused);
        }
        reg = reregistered(reg);
        measured("sshd session stalled -> re-registered (relay port " + reg.get("port") + ") and online", t3);
        sendAndExpectReply("after stall", false);

        // 4. opencode-mcp restarts: the live instance is back at once (read from its file, probed through the tunnel)
        long t4 = System.nanoTime();
        mcp.close();
        mcp = McpStdioServer.start(registry);
        long started = System.nanoTime();
        awaitOnline(reg, Duration.ofSeconds(5));
        measured("opencode-mcp restarted -> instance online (after the server's start, " + (started - t4) / 1_000_000
                + " ms of which was JVM + MCP initialize)", t4);
        sendAndExpectReply("after server restart", false);

        assertThat(connector.isAlive()).as(this::output).isTrue();
    }

    @Test
    void killingTheConnectorMakesTheInstanceUnreachableAndTheFileIsPrunedAfterTheGrace() throws Exception {
        McpStdioServer pruning = McpStdioServer.start(registry, Map.of("PRUNE_AFTER_MS", "3000"));
        extraServers.add(pruning);
        Process connector = startConnector();
        Map<String, Object> reg = awaitRegistration(null, Duration.ofSeconds(60));
        awaitOnline(pruning, reg, Duration.ofSeconds(10));
        opencodes.addAll(connector.descendants().toList());

        long t0 = System.nanoTime();
        connector.destroyForcibly(); // kill -9: no cleanup, the registration stays behind
        Eventually.await(Duration.ofSeconds(5), () -> assertThat(instance(pruning)).containsEntry("state", "unreachable"));
        measured("connector kill -9 -> unreachable in opencode-mcp", t0);
        assertThat(registry.resolve(NAME + ".json")).exists();

        Eventually.await(Duration.ofSeconds(30), () -> assertThat(registry.resolve(NAME + ".json")).doesNotExist());
        measured("connector kill -9 -> file pruned (PRUNE_AFTER_MS=3000)", t0);
        Eventually.await(Duration.ofSeconds(5), () -> assertThat(instances(pruning)).isEmpty());
    }

    @Test
    void killingOpencodeMakesTheConnectorRemoveTheRegistrationAndExitNonZero() throws Exception {
        Process connector = startConnector();
        Map<String, Object> reg = awaitRegistration(null, Duration.ofSeconds(60));
        awaitOnline(reg, Duration.ofSeconds(10));
        List<ProcessHandle> children = connector.children().toList();
        assertThat(children).as("opencode under the connector").isNotEmpty();
        opencodes.addAll(connector.descendants().toList());

        long t0 = System.nanoTime();
        for (ProcessHandle h : children) {
            new ProcessBuilder("kill", "-9", Long.toString(h.pid())).start().waitFor();
        }
        assertThat(connector.waitFor(30, TimeUnit.SECONDS)).as(this::output).isTrue();
        measured("opencode kill -9 -> connector exited " + connector.exitValue(), t0);
        assertThat(connector.exitValue()).isNotZero();
        assertThat(registry.resolve(NAME + ".json")).doesNotExist();
        assertThat(output()).contains("removed registration " + NAME,
                "opencode stopped unexpectedly (exit code 137, killed by signal 9)", "done, opencode exit code 137");
        Eventually.await(Duration.ofSeconds(5), () -> assertThat(instances(mcp)).isEmpty());
    }

    // ---- the connector process

    Process startConnector() throws IOException {
        Path home = Files.createDirectories(root.resolve("home-" + System.nanoTime()));
        Path project = Files.createDirectories(home.resolve("project")).toRealPath();
        Files.writeString(project.resolve("README.md"), "# chain test project\n");
        out = home.resolve("connector.out");
        List<String> argv = new ArrayList<>(List.of(McpStdioServer.javaBinary(), "-jar", CONNECTOR_JAR.toAbsolutePath().toString(),
                "--headless", "--opencode", OpenCodeBinary.locate().toString(),
                "--relay", System.getProperty("user.name") + "@127.0.0.1:" + sshd.port(),
                "--identity", key.privateKey().toString(), "--known-hosts", knownHosts.toString(),
                "--ssh-config", sshConfig.toString(), "--no-agent",
                "--registry-dir", registry.toString(), "--name", NAME, "--cwd", project.toString(),
                "--heartbeat", "1s", "--reconnect-min", "200ms", "--reconnect-max", "2s",
                "--log-file", home.resolve("connector.log").toString()));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(out.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("OPENCODE_") || k.equals("RELAY_SSH_CMD") || k.equals("SSH_AUTH_SOCK"));
        env.putAll(OpenCodeServer.environment(home, OpenCodeConfig.json(llm)));
        Process p = pb.start();
        connectors.add(p);
        return p;
    }

    String output() {
        try {
            return out == null ? "" : Files.readString(out);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /** Waits for a registration file different from {@code previous} (new connectedAt), returns its fields. */
    Map<String, Object> awaitRegistration(Map<String, Object> previous, Duration within) {
        Path file = registry.resolve(NAME + ".json");
        AtomicReference<Map<String, Object>> seen = new AtomicReference<>();
        Eventually.await(within, () -> {
            assertThat(file).as(this::output).exists();
            Map<String, Object> r = Registrationfields.read(file);
            if (previous != null) {
                assertThat(r.get("connectedAt")).as(() -> "a new connection; connector output:\n" + output()).isNotEqualTo(previous.get("connectedAt"));
            }
            seen.set(r);
        });
        return seen.get();
    }

    /** The next registration, online in opencode-mcp; the old relay port no longer answers (nothing stale left). */
    Map<String, Object> reregistered(Map<String, Object> old) {
        Map<String, Object> reg = awaitRegistration(old, Duration.ofSeconds(20));
        awaitOnline(reg, Duration.ofSeconds(10));
        int oldPort = (Integer) old.get("port");
        if (oldPort != (Integer) reg.get("port")) {
            Eventually.await(Duration.ofSeconds(5), () -> assertThatThrownBy(() -> new java.net.Socket("127.0.0.1", oldPort).close())
                    .as("old relay port " + oldPort + " closed").isInstanceOf(IOException.class));
        }
        return reg;
    }

    void awaitOnline(Map<String, Object> reg, Duration within) {
        awaitOnline(mcp, reg, within);
    }

    void awaitOnline(McpStdioServer server, Map<String, Object> reg, Duration within) {
        Eventually.await(within, () -> {
            McpSchema.CallToolResult r = server.call("refresh_instances", Map.of());
            assertThat(instancesOf(r)).singleElement().satisfies(i -> assertThat(i).containsEntry("name", NAME)
                    .containsEntry("state", "online").containsEntry("port", reg.get("port")).containsEntry("cwd", reg.get("cwd")));
        });
    }

    void sendAndExpectReply(String title, boolean checkProgress) {
        McpSchema.CallToolResult created = mcp.call("create_session", args("title", title));
        assertThat(created.isError()).as(() -> McpStdioServer.text(created)).isFalse();
        @SuppressWarnings("unchecked")
        String session = (String) ((Map<String, Object>) McpStdioServer.structured(created).get("session")).get("id");
        String token = "chain-" + System.nanoTime();
        long t0 = System.nanoTime();
        McpSchema.CallToolResult result = mcp.callWithProgress("send_message",
                args("session", session, "message", "please CHAIN-HELLO"), token);
        assertThat(result.isError()).as(() -> McpStdioServer.text(result)).isFalse();
        assertThat(McpStdioServer.structured(result)).containsEntry("state", "completed").containsEntry("text", REPLY);
        measured("send_message (" + title + ") round trip through the tunnel", t0);
        if (checkProgress) {
            assertThat(mcp.progress()).filteredOn(p -> token.equals(p.progressToken())).isNotEmpty();
        }
    }

    static Map<String, Object> args(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        m.put("instance", NAME);
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static Map<String, Object> instance(McpStdioServer server) {
        List<Map<String, Object>> all = instances(server);
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    static List<Map<String, Object>> instances(McpStdioServer server) {
        return instancesOf(server.call("list_instances", Map.of()));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> instancesOf(McpSchema.CallToolResult result) {
        return (List<Map<String, Object>>) McpStdioServer.structured(result).get("instances");
    }

    static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    static void measured(String what, long startNanos) {
        System.err.printf("MEASURED: %s: %d ms%n", what, (System.nanoTime() - startNanos) / 1_000_000);
    }

    /** The registration file's fields as the server reads them (plain Jackson). */
    static final class Registrationfields {
        static Map<String, Object> read(Path file) throws IOException {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = new com.fasterxml.jackson.databind.ObjectMapper().readValue(file.toFile(), LinkedHashMap.class);
            return m;
        }
    }
}
