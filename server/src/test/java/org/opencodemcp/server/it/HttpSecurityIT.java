package org.opencodemcp.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.opencodemcp.server.support.McpStdioServer;
import org.opencodemcp.server.transport.RawHttp;
import org.opencodemcp.testkit.Closer;
import org.opencodemcp.testkit.ServerEnvironment;
import org.opencodemcp.testkit.TempDirs;

/** Issue 11, HTTP mode, through the packaged jar: where it listens, who it lets in, and for how long. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HttpSecurityIT {
    private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
            + "\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"idle\",\"version\":\"1\"}}}";
    private static final Pattern SERVING = Pattern.compile("serving Streamable HTTP on http://(\\S+):(\\d+)/mcp");

    private Path registry;
    private Process process;
    private McpHttpServer mcp;

    @BeforeEach
    void setUp() {
        registry = TempDirs.create("registry-http-");
    }

    @AfterEach
    void tearDown() {
        Closer.closeAll(mcp, () -> {
            if (process != null) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }, () -> TempDirs.deleteRecursively(registry));
    }

    private ProcessBuilder jar(Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>(List.of(McpStdioServer.javaBinary(), "-jar", McpStdioServer.jar().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        ServerEnvironment.apply(pb, registry); // its own jobs.db, never the account's
        pb.environment().put("MCP_BEARER_TOKEN", McpHttpServer.TOKEN);
        pb.environment().remove("HTTP_BIND");
        pb.environment().remove("PORT");
        pb.environment().putAll(env);
        return pb;
    }

    @Test
    void hostIsNeverTheListenAddress() throws Exception {
        process = jar(Map.of("HOST", "0.0.0.0"), "--http", "0").start();
        BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
        List<String> log = new ArrayList<>();
        Matcher serving = null;
        for (String line; serving == null && (line = err.readLine()) != null; ) {
            log.add(line);
            Matcher m = SERVING.matcher(line);
            serving = m.find() ? m : null;
        }
        assertThat(serving).as("log: %s", log).isNotNull();
        assertThat(serving.group(1)).isEqualTo("127.0.0.1");
        assertThat(log).anySatisfy(l -> assertThat(l).contains("HOST=0.0.0.0 is not used for the listen address"));
        int port = Integer.parseInt(serving.group(2));
        assertThat(RawHttp.get(port, "/healthz").status()).isIn(200, 503);
        InetAddress outside = nonLoopbackAddress();
        if (outside != null) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(outside, port), 2000);
                throw new AssertionError("reachable on " + outside + ":" + port);
            } catch (IOException refused) {
                // expected: nothing listens there
            }
        }
    }

    @Test
    void aNonLoopbackAddressNeedsAllowRemote() throws Exception {
        process = jar(Map.of(), "--http", "0.0.0.0:0").redirectOutput(ProcessBuilder.Redirect.PIPE).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(out.strip()).hasLineCount(1).startsWith("opencode-mcp: refusing to listen on 0.0.0.0:0 (not loopback) without --allow-remote")
                .contains("TLS");
    }

    @Test
    void refusedRequestsAreLoggedAtMostOnceAMinute() {
        mcp = McpHttpServer.start(registry, Map.of());
        for (int i = 0; i < 40; i++) {
            Map<String, String> headers = i % 2 == 0 ? Map.of() : Map.of("Authorization", "Bearer wrong-token-" + i);
            assertThat(RawHttp.send(mcp.port(), "POST", mcp.path(), headers, "{}").status()).isEqualTo(401);
        }
        assertThat(RawHttp.send(mcp.port(), "GET", "/healthz", Map.of("Host", "evil.example"), null).status()).isEqualTo(403);
        assertThat(mcp.stderr().stream().filter(l -> l.contains("refused")).toList()).hasSize(1)
                .allSatisfy(l -> assertThat(l).contains("at most once a minute"));
    }

    @Test
    void anIdleSessionExpires() throws Exception {
        mcp = McpHttpServer.start(registry, Map.of("HTTP_SESSION_IDLE_MS", "600"));
        Map<String, String> json = Map.of("Authorization", "Bearer " + McpHttpServer.TOKEN,
                "Accept", "application/json, text/event-stream", "Content-Type", "application/json");
        RawHttp.Response init = RawHttp.send(mcp.port(), "POST", mcp.path(), json, INITIALIZE);
        assertThat(init.status()).isEqualTo(200);
        Map<String, String> inSession = new java.util.HashMap<>(json);
        inSession.put("Mcp-Session-Id", init.header("Mcp-Session-Id"));
        String list = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}";
        for (int i = 0; i < 6; i++) { // in use: kept alive well past the idle time
            Thread.sleep(200);
            assertThat(RawHttp.send(mcp.port(), "POST", mcp.path(), inSession, list).status()).isEqualTo(200);
        }
        Thread.sleep(1500);
        assertThat(RawHttp.send(mcp.port(), "POST", mcp.path(), inSession, list).status()).as("expired").isEqualTo(404);
    }

    private static InetAddress nonLoopbackAddress() throws IOException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                    return a;
                }
            }
        }
        return null;
    }
}
