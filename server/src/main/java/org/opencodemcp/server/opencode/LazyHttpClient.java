package org.opencodemcp.server.opencode;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * An HttpClient made on first use. Building one (its TLS context, selector thread and executor) was
 * about a quarter of the main thread's work before {@code initialize} could be answered; the first
 * use is now the registry's warm-up, which starts after that answer (plans/performance.md).
 */
public final class LazyHttpClient extends HttpClient {
    private final Supplier<HttpClient> factory;
    private volatile HttpClient client;

    public LazyHttpClient(Supplier<HttpClient> factory) {
        this.factory = factory;
    }

    /** The client, made now if it was not yet. */
    public HttpClient get() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                c = client;
                if (c == null) {
                    c = factory.get();
                    client = c;
                }
            }
        }
        return c;
    }

    /** The client if it was made, else null (nothing to shut down). */
    HttpClient ifMade() {
        return client;
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return get().cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return get().connectTimeout();
    }

    @Override
    public Redirect followRedirects() {
        return get().followRedirects();
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return get().proxy();
    }

    @Override
    public SSLContext sslContext() {
        return get().sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return get().sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return get().authenticator();
    }

    @Override
    public Version version() {
        return get().version();
    }

    @Override
    public Optional<Executor> executor() {
        return get().executor();
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        return get().send(request, handler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        return get().sendAsync(request, handler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
            HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
        return get().sendAsync(request, handler, pushPromiseHandler);
    }
}
