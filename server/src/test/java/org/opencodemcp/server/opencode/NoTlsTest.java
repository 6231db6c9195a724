package org.opencodemcp.server.opencode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class NoTlsTest {

    private static HttpClient client() {
        return HttpClient.newBuilder().sslContext(NoTls.context()).sslParameters(NoTls.parameters())
                .connectTimeout(Duration.ofSeconds(2)).build();
    }

    @Test
    void plainHttpOnLoopbackWorks() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/global/health", exchange -> {
            byte[] body = "{\"healthy\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            HttpResponse<String> answer = client().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/global/health"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo("{\"healthy\":true}");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anHttpsRequestFailsAtOnceAndSaysWhy() throws Exception {
        // a listening port, so the failure is the TLS context's, not a refused connect
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.start();
        try {
            HttpRequest https = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/"))
                    .timeout(Duration.ofSeconds(5)).build();
            assertThatThrownBy(() -> client().send(https, HttpResponse.BodyHandlers.discarding()))
                    .hasStackTraceContaining("TLS is not used");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void theContextRefusesEveryUse() {
        assertThatThrownBy(() -> NoTls.context().createSSLEngine()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> NoTls.context().getSocketFactory()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> NoTls.context().init(null, null, null)).isInstanceOf(UnsupportedOperationException.class);
    }
}
