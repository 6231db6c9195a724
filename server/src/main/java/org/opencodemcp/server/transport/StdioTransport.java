package org.opencodemcp.server.transport;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import io.modelcontextprotocol.spec.McpServerTransportProviderBase;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.opencodemcp.server.tools.Cancellations;
import org.opencodemcp.server.tools.LogLevels;
import org.opencodemcp.server.tools.SubscriptionGate;
import reactor.core.publisher.Mono;

/**
 * MCP over stdio. stdout belongs to the protocol: the real stdout is handed to the transport and
 * {@code System.out} is pointed at stderr, so a stray print can never corrupt the stream.
 *
 * <p>Three steps, so the client's {@code initialize} is answered while the server is still being built:
 * {@link #open} takes stdin and stdout and starts reading the first line ({@link EarlyInitialize}), as
 * early as start-up allows; {@link #checksPassed}, once start-up's checks have passed, lets that answer
 * go out (before the shared JSON mapper is even made); {@link #provider} gives the SDK the transport,
 * with the hooks that need the rest of the server.
 */
public final class StdioTransport {
    /** Largest accepted JSON-RPC line; prompts are text, this leaves a lot of room. */
    public static final int MAX_LINE_BYTES = 4 * 1024 * 1024;
    /** The longest first line looked at for an early answer; any client's initialize is far shorter. */
    static final int MAX_EARLY_LINE_BYTES = 64 * 1024;
    /**
     * The protocol versions of the SDK's stdio transport, read before one exists (its constructor needs
     * the JSON mapper, made after the early answer): the SDK's default, which that transport keeps.
     */
    static final List<String> SDK_PROTOCOL_VERSIONS = new McpServerTransportProviderBase() {
        @Override
        public Mono<Void> notifyClients(String method, Object params) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<Void> closeGracefully() {
            throw new UnsupportedOperationException();
        }
    }.protocolVersions();

    private final AfterFirstFlush stdout;
    private final FirstLineAhead stdin;
    private final EarlyInitialize early;
    private final ServerIdentity identity;
    /** completes once the first line was answered early or left to the SDK; set by {@link #checksPassed} */
    private CompletableFuture<Void> earlyDone;

    private StdioTransport(AfterFirstFlush stdout, FirstLineAhead stdin, EarlyInitialize early, ServerIdentity identity) {
        this.stdout = stdout;
        this.stdin = stdin;
        this.early = early;
        this.identity = identity;
    }

    /**
     * Takes the process's stdin and stdout and starts reading stdin's first line: a plain initialize
     * request is read ({@link PlainJsonReader}: the shared mapper need not exist yet) and answered with
     * {@code identity} from another thread as soon as {@link #checksPassed} says the server will serve.
     */
    public static StdioTransport open(ServerIdentity identity) {
        AfterFirstFlush stdout = new AfterFirstFlush(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16));
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        FirstLineAhead stdin = new FirstLineAhead(new BufferedInputStream(new FileInputStream(FileDescriptor.in), 1 << 16));
        EarlyInitialize early = new EarlyInitialize(new JsonFactory(), identity, stdout);
        stdin.start(MAX_EARLY_LINE_BYTES, early);
        return new StdioTransport(stdout, stdin, early, identity);
    }

    /**
     * Start-up's checks have passed and the process will serve: the early initialize answer may go out
     * now, negotiated against the SDK's protocol versions. Called again (by {@link #provider}), it does nothing.
     */
    public void checksPassed() {
        earlyDone();
    }

    /** Lets the early answer out once; completes once the first line was answered early or left to the SDK. */
    private synchronized CompletableFuture<Void> earlyDone() {
        if (earlyDone == null) {
            earlyDone = early.serve(SDK_PROTOCOL_VERSIONS);
        }
        return earlyDone;
    }

    /**
     * The transport for the SDK's server (start-up's checks have passed: {@link #checksPassed}, if it was
     * not called yet). Once the early answer is out, {@link JsonWarmUp} prepares Jackson's object mapping
     * for the SDK's first answers while the server is being built (started with the early answer, it took
     * the second core from it).
     *
     * @param onEndOfInput called when stdin closes (the client went away)
     * @param subscriptions decides which {@code resources/subscribe} reach the SDK (bounded)
     * @param cancellations where {@code notifications/cancelled} lines go; the response of a cancelled call is dropped
     * @param logLevels where {@code logging/setLevel} goes (answered by the transport)
     */
    public McpServerTransportProvider provider(McpJsonMapper mcpJson, ObjectMapper json, Runnable onEndOfInput,
            Cancellations cancellations, SubscriptionGate subscriptions, LogLevels logLevels) {
        GuardedStdin guarded = new GuardedStdin(stdin, stdout, mcpJson, json, MAX_LINE_BYTES).endingWith(onEndOfInput)
                .cancelling(cancellations).gating(subscriptions).logging(logLevels);
        // the SDK's provider only keeps its streams here; it reads stdin once the server is built
        StdioServerTransportProvider sdk = new StdioServerTransportProvider(mcpJson, guarded, stdout);
        if (!sdk.protocolVersions().equals(SDK_PROTOCOL_VERSIONS)) { // an SDK upgrade: EarlyInitializeTest says so first
            throw new IllegalStateException("the SDK's stdio transport supports " + sdk.protocolVersions() + ", the early answer "
                    + SDK_PROTOCOL_VERSIONS);
        }
        earlyDone().thenRun(() -> JsonWarmUp.start(json, identity));
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
