package org.opencodemcp.server.transport;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.PrintStream;
import org.opencodemcp.server.tools.Cancellations;
import org.opencodemcp.server.tools.LogLevels;
import org.opencodemcp.server.tools.SubscriptionGate;

/**
 * MCP over stdio. stdout belongs to the protocol: the real stdout is handed to the transport and
 * {@code System.out} is pointed at stderr, so a stray print can never corrupt the stream.
 *
 * <p>Two steps, so the client's {@code initialize} is answered while the server is still being built:
 * {@link #open} takes stdin and stdout and starts reading the first line ({@link EarlyInitialize});
 * {@link #provider} then gives the SDK the transport, with the hooks that need the rest of the server.
 */
public final class StdioTransport {
    /** Largest accepted JSON-RPC line; prompts are text, this leaves a lot of room. */
    public static final int MAX_LINE_BYTES = 4 * 1024 * 1024;
    /** The longest first line looked at for an early answer; any client's initialize is far shorter. */
    static final int MAX_EARLY_LINE_BYTES = 64 * 1024;

    private final AfterFirstFlush stdout;
    private final GuardedStdin stdin;
    private final StdioServerTransportProvider sdk;
    private final EarlyInitialize early;

    private StdioTransport(AfterFirstFlush stdout, GuardedStdin stdin, StdioServerTransportProvider sdk, EarlyInitialize early) {
        this.stdout = stdout;
        this.stdin = stdin;
        this.sdk = sdk;
        this.early = early;
    }

    /**
     * Takes the process's stdin and stdout and starts reading stdin's first line: a plain initialize
     * request is answered with {@code identity} at once, from another thread; the SDK still sees it. Then
     * {@link JsonWarmUp} prepares Jackson for the SDK's first answers while the server is being built.
     */
    public static StdioTransport open(McpJsonMapper mcpJson, ObjectMapper json, ServerIdentity identity) {
        AfterFirstFlush stdout = new AfterFirstFlush(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16));
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        FirstLineAhead ahead = new FirstLineAhead(new BufferedInputStream(new FileInputStream(FileDescriptor.in), 1 << 16));
        GuardedStdin stdin = new GuardedStdin(ahead, stdout, mcpJson, json, MAX_LINE_BYTES);
        // the SDK's provider only keeps its streams here; it reads stdin once the server is built
        StdioServerTransportProvider sdk = new StdioServerTransportProvider(mcpJson, stdin, stdout);
        EarlyInitialize early = new EarlyInitialize(json, identity, sdk.protocolVersions(), stdout);
        // the warm-up starts once the early answer is out: started with it, it took the second core from it
        ahead.start(MAX_EARLY_LINE_BYTES, line -> {
            early.accept(line);
            JsonWarmUp.start(json);
        });
        return new StdioTransport(stdout, stdin, sdk, early);
    }

    /**
     * The transport for the SDK's server.
     *
     * @param onEndOfInput called when stdin closes (the client went away)
     * @param subscriptions decides which {@code resources/subscribe} reach the SDK (bounded)
     * @param cancellations where {@code notifications/cancelled} lines go; the response of a cancelled call is dropped
     * @param logLevels where {@code logging/setLevel} goes (answered by the transport)
     */
    public McpServerTransportProvider provider(Runnable onEndOfInput, Cancellations cancellations, SubscriptionGate subscriptions,
            LogLevels logLevels) {
        stdin.endingWith(onEndOfInput).cancelling(cancellations).gating(subscriptions).logging(logLevels);
        return new SerializedSends(sdk, cancellations, early);
    }

    /**
     * Runs {@code work} once, right after the SDK's server wrote and flushed its first answer (the early
     * initialize answer does not count: see {@link AfterFirstFlush}), on the writing thread; or at once,
     * on this one, if that already happened.
     */
    public void afterFirstAnswer(Runnable work) {
        stdout.afterFirstFlush(work);
    }
}
