package org.opencodemcp.server.transport;

import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpServerSession;
import io.modelcontextprotocol.spec.McpServerTransport;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import java.util.List;
import org.opencodemcp.server.tools.Cancellations;
import reactor.core.publisher.Mono;

/**
 * Serializes the sends of each session. The SDK's stdio session transport emits into a unicast sink
 * with {@code tryEmitNext}; two tool results finishing at once on two threads make one emit fail
 * ({@code FAIL_NON_SERIALIZED}, "Failed to enqueue message"), and that reply is lost: the client
 * waits for it forever. Found by the 100-concurrent-calls load test.
 *
 * <p>Still needed with SDK 2.1.0 (checked in its bytecode): its stdio {@code sendMessage} now calls
 * {@code emitNext(message, busyLooping(100 ms))}, which retries a contended emit for 100 ms of wall
 * time and then throws "Failed to enqueue message", dropping the reply. A GC pause or a starved CPU
 * on a small relay during that window still loses a reply; serializing the sends here costs nothing
 * measurable (FleetLoadIT) and makes the loss impossible.
 */
final class SerializedSends implements McpServerTransportProvider {
    private final McpServerTransportProvider delegate;
    private final Cancellations cancellations;
    private final EarlyInitialize early;

    /**
     * @param cancellations the response of a call cancelled by the client is dropped here (stdio: one connection)
     * @param early the SDK's own answer to the initialize answered early is dropped here; may be null
     */
    SerializedSends(McpServerTransportProvider delegate, Cancellations cancellations, EarlyInitialize early) {
        this.delegate = delegate;
        this.cancellations = cancellations;
        this.early = early;
    }

    @Override
    public void setSessionFactory(McpServerSession.Factory factory) {
        delegate.setSessionFactory(transport -> factory.create(new Session(transport)));
    }

    @Override
    public Mono<Void> notifyClients(String method, Object params) {
        return delegate.notifyClients(method, params);
    }

    @Override
    public Mono<Void> notifyClient(String sessionId, String method, Object params) {
        return delegate.notifyClient(sessionId, method, params);
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public Mono<Void> closeGracefully() {
        return delegate.closeGracefully();
    }

    @Override
    public List<String> protocolVersions() {
        return delegate.protocolVersions();
    }

    private final class Session implements McpServerTransport {
        private final McpServerTransport transport;

        Session(McpServerTransport transport) {
            this.transport = transport;
        }

        @Override
        public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
            if (message instanceof McpSchema.JSONRPCResponse r && cancellations != null
                    && cancellations.dropResponse(Cancellations.key(GuardedStdin.CONNECTION, r.id()))) {
                return Mono.empty(); // the client cancelled this call: the specification asks for no response
            }
            if (message instanceof McpSchema.JSONRPCResponse r && early != null && early.isRepeat(r)) {
                return Mono.empty(); // the same initialize answer went out before the server was built
            }
            // the delegate's Mono emits synchronously when subscribed: subscribe to it under the lock
            return Mono.create(sink -> {
                synchronized (this) {
                    transport.sendMessage(message).subscribe(v -> { }, sink::error, sink::success);
                }
            });
        }

        @Override
        public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
            return transport.unmarshalFrom(data, typeRef);
        }

        @Override
        public Mono<Void> closeGracefully() {
            return transport.closeGracefully();
        }

        @Override
        public void close() {
            transport.close();
        }

        @Override
        public List<String> protocolVersions() {
            return transport.protocolVersions();
        }
    }
}
