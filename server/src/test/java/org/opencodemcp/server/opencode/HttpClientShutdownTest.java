package org.opencodemcp.server.opencode;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HttpClientShutdownTest {

    /** The client's selector thread, found the way the JDK's own tests find it. */
    private static Optional<Thread> selectorOf(HttpClient client) {
        String s = client.toString();
        String id = s.substring(s.lastIndexOf('(') + 1, s.length() - 1);
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("HttpClient-" + id + "-SelectorManager"))
                .findFirst();
    }

    @Test
    void interruptingEndsThatClientsSelectorThreadOnly() throws Exception {
        // The thread's class and name are the JDK's, not an API: if a JDK changes them, this test says so
        // (and the registry falls back to shutdownNow()).
        HttpClient exiting = HttpClient.newHttpClient();
        HttpClient other = HttpClient.newHttpClient();
        Thread selector = selectorOf(exiting).orElseThrow();
        Thread otherSelector = selectorOf(other).orElseThrow();
        assertThat(selector.getClass().getName()).isEqualTo(HttpClientShutdown.SELECTOR_THREAD_CLASS);

        assertThat(HttpClientShutdown.interruptSelectorThread(exiting)).isTrue();

        selector.join(2_000);
        assertThat(selector.isAlive()).as("the interrupted client's selector thread ended").isFalse();
        assertThat(otherSelector.isAlive()).as("another client's selector thread runs on").isTrue();
    }

    @Test
    void aClientItCannotNameIsLeftToTheFallback() {
        // made, but not the JDK's client: no "(id)" in its name, so no selector thread to find
        LazyHttpClient notTheJdks = new LazyHttpClient(() -> new LazyHttpClient(HttpClient::newHttpClient));
        notTheJdks.get();
        assertThat(HttpClientShutdown.interruptSelectorThread(notTheJdks)).isFalse();
    }

    @Test
    void aLazyClientNeverMadeHasNoThreadToStop() {
        LazyHttpClient lazy = new LazyHttpClient(() -> {
            throw new AssertionError("must not be made at exit");
        });
        assertThat(HttpClientShutdown.interruptSelectorThread(lazy)).isTrue();
    }
}
