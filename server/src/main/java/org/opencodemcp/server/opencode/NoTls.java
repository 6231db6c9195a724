package org.opencodemcp.server.opencode;

import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The HTTP client's TLS: none. OpenCode is only ever spoken to over plain HTTP on loopback
 * ({@link OpenCodeClient#baseUrl()}), so the client gets a context that refuses every use and empty
 * parameters. Given no context, the JDK's HttpClient builds the default one when it is made (trust
 * store, key managers, every cipher suite: ~50 ms of CPU); even an empty "TLS" context loads the JSSE
 * provider, whose ~400 classes then sit in the start-up class cache and are loaded at every JVM start
 * (plans/performance.md). An {@code https} request, which nothing here makes, would fail at its first
 * use of this context instead of speaking TLS with nothing trusted.
 */
public final class NoTls {
    private NoTls() {
    }

    /** A context that throws on every use. */
    public static SSLContext context() {
        return new SSLContext(new Refusing(), null, "none") {
        };
    }

    /** Parameters for the builder, so that it never asks the context for its defaults. */
    public static SSLParameters parameters() {
        return new SSLParameters();
    }

    private static final class Refusing extends SSLContextSpi {
        private static UnsupportedOperationException refused() {
            return new UnsupportedOperationException("TLS is not used: OpenCode is reached over plain HTTP on loopback");
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random) {
            throw refused();
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            throw refused();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            throw refused();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            throw refused();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            throw refused();
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            throw refused();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            throw refused();
        }
    }
}
