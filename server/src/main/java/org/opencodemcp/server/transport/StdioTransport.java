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
import java.io.OutputStream;
import java.io.PrintStream;
import org.opencodemcp.server.tools.Cancellations;
import org.opencodemcp.server.tools.LogLevels;
import org.opencodemcp.server.tools.SubscriptionGate;

/**
 * MCP over stdio. stdout belongs to the protocol: the real stdout is handed to the transport and
 * {@code System.out} is pointed at stderr, so a stray print can never corrupt the stream.
 */
public final class StdioTransport {
    /** Largest accepted JSON-RPC line; prompts are text, this leaves a lot of room. */
    public static final int MAX_LINE_BYTES = 4 * 1024 * 1024;

    private StdioTransport() {}

    /**
     * @param onEndOfInput called when stdin closes (the client went away)
     * @param subscriptions decides which {@code resources/subscribe} reach the SDK (bounded)
     * @param cancellations where {@code notifications/cancelled} lines go; the response of a cancelled call is dropped
     * @param logLevels where {@code logging/setLevel} goes (answered by the transport)
     * @param afterFirstAnswer runs once, right after the first answer (initialize's) was written and flushed, on the
     *        writing thread; may be null
     */
    public static McpServerTransportProvider create(McpJsonMapper mcpJson, ObjectMapper json, Runnable onEndOfInput,
            Cancellations cancellations, SubscriptionGate subscriptions, LogLevels logLevels, Runnable afterFirstAnswer) {
        OutputStream stdout = new AfterFirstFlush(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
                afterFirstAnswer);
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        GuardedStdin stdin = new GuardedStdin(new BufferedInputStream(new FileInputStream(FileDescriptor.in), 1 << 16), stdout, mcpJson, json,
                MAX_LINE_BYTES, onEndOfInput).cancelling(cancellations).gating(subscriptions)
                .logging(logLevels);
        return new SerializedSends(new StdioServerTransportProvider(mcpJson, stdin, stdout), cancellations);
    }
}
