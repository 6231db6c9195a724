package org.opencodemcp.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The lightweight fake opencode used for fleets: its answers, its event stream, and its cost. */
class FakeOpenCodeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void answersTheDiscoveryCalls() throws Exception {
        try (FakeOpenCode fake = FakeOpenCode.start("/home/me/proj")) {
            assertThat(get(fake, "/global/health").toString()).isEqualTo("{\"healthy\":true,\"version\":\"fake-1.0\"}");
            JsonNode path = get(fake, "/path?directory=%2Fhome%2Fme%2Fproj");
            assertThat(path.path("directory").asText()).isEqualTo("/home/me/proj");
            assertThat(path.path("worktree").asText()).isEqualTo("/home/me/proj");
            assertThat(path.has("home") && path.has("state") && path.has("config")).isTrue();
            assertThat(get(fake, "/session/status").toString()).isEqualTo("{}");
            assertThat(get(fake, "/agent").toString()).isEqualTo("[{\"name\":\"build\",\"mode\":\"primary\"}]");
            assertThat(get(fake, "/session").toString()).isEqualTo("[]");

            HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/session"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"bench\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).isEqualTo(200);
            String id = JSON.readTree(created.body()).path("id").asText();
            JsonNode sessions = get(fake, "/session");
            assertThat(sessions).hasSize(1);
            assertThat(sessions.get(0).path("title").asText()).isEqualTo("bench");
            assertThat(get(fake, "/session/" + id).path("directory").asText()).isEqualTo("/home/me/proj");
            assertThat(get(fake, "/session/" + id + "/message?limit=5").toString()).isEqualTo("[]");
            assertThat(get(fake, "/permission").toString()).isEqualTo("[]");
            assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/session/ses_nope/message")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void recordsWhatItWasSentMethodTargetHeadersAndBody() throws Exception {
        try (FakeOpenCode fake = FakeOpenCode.start("/home/me/proj")) {
            HTTP.send(HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/session?directory=x"))
                    .header("X-Probe", "yes").POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"é\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            get(fake, "/global/health");
            String big = "a".repeat(FakeOpenCode.MAX_RECORDED_BODY + 10);
            HTTP.send(HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/session"))
                    .POST(HttpRequest.BodyPublishers.ofString(big)).build(), HttpResponse.BodyHandlers.ofString());

            List<FakeOpenCode.Request> seen = fake.requests();
            assertThat(seen).extracting(FakeOpenCode.Request::method).containsExactly("POST", "GET", "POST");
            assertThat(seen.get(0).target()).isEqualTo("/session?directory=x");
            assertThat(seen.get(0).header("x-probe")).isEqualTo("yes");
            assertThat(seen.get(0).body()).isEqualTo("{\"title\":\"é\"}");
            assertThat(seen.get(1).body()).isEmpty();
            assertThat(seen.get(2).body()).hasSize(FakeOpenCode.MAX_RECORDED_BODY); // capped
        }
    }

    @Test
    void eventStreamStartsConnectedBeatsAndEndsOnClose() throws Exception {
        FakeOpenCode fake = FakeOpenCode.start("/p", Duration.ofMillis(200));
        try (BufferedReader events = events(fake)) {
            assertThat(events.readLine()).isEqualTo("data: {\"type\":\"server.connected\",\"properties\":{}}");
            assertThat(events.readLine()).isEmpty();
            assertThat(events.readLine()).isEqualTo("data: {\"type\":\"server.heartbeat\",\"properties\":{}}");
            assertThat(fake.openEventStreams()).isEqualTo(1);

            fake.emit("{\"type\":\"session.idle\",\"properties\":{\"sessionID\":\"ses_1\"}}");
            assertThat(Stream.generate(() -> readLine(events)).limit(6))
                    .contains("data: {\"type\":\"session.idle\",\"properties\":{\"sessionID\":\"ses_1\"}}");

            long closing = System.nanoTime();
            fake.close();
            assertThat(drainsToEnd(events)).as("the stream ends").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - closing)).isLessThan(Duration.ofSeconds(2));
        } finally {
            fake.close();
        }
        assertThat(HTTP.sendAsync(HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/global/health")).build(),
                HttpResponse.BodyHandlers.ofString()).handle((r, e) -> e != null).get(5, TimeUnit.SECONDS))
                .as("nothing listens after close").isTrue();
    }

    @Test
    void aFleetOfAThousandIsCheap() throws Exception {
        int fleetSize = 1000;
        int threadsBefore = Thread.activeCount();
        long started = System.nanoTime();
        List<FakeOpenCode> fleet = new ArrayList<>();
        List<BufferedReader> streams = new ArrayList<>();
        try {
            for (int i = 0; i < fleetSize; i++) {
                fleet.add(FakeOpenCode.start("/fleet/" + i));
            }
            List<CompletableFuture<HttpResponse<String>>> health = fleet.stream().map(fake -> HTTP.sendAsync(
                    HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/global/health")).build(),
                    HttpResponse.BodyHandlers.ofString())).toList();
            for (CompletableFuture<HttpResponse<String>> answer : health) {
                assertThat(answer.get(10, TimeUnit.SECONDS).body()).contains("\"healthy\":true");
            }
            for (FakeOpenCode fake : fleet) {
                BufferedReader events = events(fake);
                streams.add(events);
                assertThat(events.readLine()).contains("server.connected");
            }
            Map<String, Long> threads = Thread.getAllStackTraces().keySet().stream()
                    .collect(Collectors.groupingBy(t -> t.getName().replaceAll("[-\\d]+$", ""), TreeMap::new,
                            Collectors.counting()));
            System.err.printf("fake opencode fleet: %d instances with open event streams in %d ms; "
                    + "JVM threads %d -> %d: %s%n", fleetSize, Duration.ofNanos(System.nanoTime() - started).toMillis(),
                    threadsBefore, Thread.activeCount(), threads);
            // no thread per instance or per connection: one shared I/O loop and one heartbeat scheduler
            // serve the whole fleet. The HTTP client's threads do not count.
            long clientThreads = threads.entrySet().stream().filter(e -> e.getKey().startsWith("HttpClient"))
                    .mapToLong(Map.Entry::getValue).sum();
            assertThat(threads.getOrDefault("fake-opencode-io", 0L)).isEqualTo(1);
            assertThat(threads.getOrDefault("fake-opencode-heartbeat", 0L)).isEqualTo(1);
            assertThat(Thread.activeCount() - threadsBefore - clientThreads).isLessThanOrEqualTo(5);
        } finally {
            fleet.forEach(FakeOpenCode::close);
        }
        for (BufferedReader events : streams) {
            assertThat(drainsToEnd(events)).isTrue();
        }
    }

    @Test
    void closeAlsoDropsIdleKeepAliveConnections() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        FakeOpenCode fake = FakeOpenCode.start("/p");
        HttpRequest health = HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/global/health"))
                .timeout(Duration.ofSeconds(5)).build();
        assertThat(client.send(health, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        fake.close(); // the client keeps that connection in its pool; a dead process would not answer on it
        assertThat(client.sendAsync(health, HttpResponse.BodyHandlers.ofString()).handle((r, e) -> e != null)
                .get(10, TimeUnit.SECONDS)).as("no answer after close, not even on a pooled connection").isTrue();
    }

    @Test
    void globalEventStreamWrapsEventsInTheEnvelope() throws Exception {
        try (FakeOpenCode fake = FakeOpenCode.start("/home/me/proj", Duration.ofMillis(200));
                BufferedReader events = events(fake, "/global/event")) {
            assertThat(events.readLine()).isEqualTo("data: {\"payload\":{\"type\":\"server.connected\",\"properties\":{}}}");
            fake.emit("{\"type\":\"session.idle\",\"properties\":{\"sessionID\":\"ses_1\"}}");
            assertThat(Stream.generate(() -> readLine(events)).limit(6)).contains("data: {\"directory\":\"/home/me/proj\","
                    + "\"payload\":{\"type\":\"session.idle\",\"properties\":{\"sessionID\":\"ses_1\"}}}");
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static JsonNode get(FakeOpenCode fake, String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(fake.baseUrl() + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + " -> " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static BufferedReader events(FakeOpenCode fake) throws Exception {
        return events(fake, "/event");
    }

    private static BufferedReader events(FakeOpenCode fake, String path) throws Exception {
        HttpResponse<java.io.InputStream> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(fake.baseUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        return new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
    }

    private static String readLine(BufferedReader reader) {
        try {
            return reader.readLine();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** True once the stream reports its end, as EOF or as a connection error. */
    private static boolean drainsToEnd(BufferedReader events) {
        try {
            while (events.readLine() != null) {
                // skip what was still buffered
            }
            return true;
        } catch (IOException dropped) {
            return true;
        }
    }
}
