package org.opencodemcp.server.opencode;

import org.opencodemcp.testkit.FakeLlm;
import org.opencodemcp.testkit.FakeReply;
import org.opencodemcp.testkit.OpenCodeServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Re-records {@code src/test/resources/opencode-samples/<version>/} from a real opencode driven by the fake LLM
 * (not a test; run by hand after a release change:
 * {@code java -cp <test classpath> org.opencodemcp.server.opencode.SampleRecorder 1.18.33 /tmp/out}, then trim
 * repeated {@code plugin.added} events and keep one global event of each type). A third argument {@code catalog}
 * records only {@code agents.json} ({@code GET /agent}) and {@code providers.json} ({@code GET /config/providers}).
 */
public final class SampleRecorder {
    static HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    public static void main(String[] a) throws Exception {
        String version = a[0];
        Path out = Path.of(a[1]);
        Files.createDirectories(out);
        FakeLlm llm = FakeLlm.start();
        String q1 = "{\"questions\":[{\"question\":\"Which color?\",\"header\":\"Color\",\"options\":[{\"label\":\"Red\",\"description\":\"warm\"},{\"label\":\"Blue\",\"description\":\"cool\"}]}]}";
        String q2 = "{\"questions\":[{\"question\":\"Which color?\",\"header\":\"Color\",\"options\":[{\"label\":\"Red\",\"description\":\"warm\"},{\"label\":\"Blue\",\"description\":\"cool\"}]},{\"question\":\"Which sizes?\",\"header\":\"Size\",\"multiple\":true,\"options\":[{\"label\":\"S\",\"description\":\"small\"},{\"label\":\"L\",\"description\":\"large\"}]}]}";
        String todos = "{\"todos\":[{\"content\":\"first step\",\"status\":\"completed\",\"priority\":\"high\"},{\"content\":\"second step\",\"status\":\"in_progress\",\"priority\":\"medium\"},{\"content\":\"third step\",\"status\":\"pending\",\"priority\":\"low\"}]}";
        llm.on("ASKONE", FakeReply.toolCall("question", q1, FakeReply.text("Answer noted.")));
        llm.on("ASKTWO", FakeReply.toolCall("question", q2, FakeReply.text("Both noted.")));
        llm.on("TODOS", FakeReply.toolCall("todowrite", todos, FakeReply.reasoning("thinking about it ", FakeReply.text("Todos written."))));
        llm.on("PERM", FakeReply.toolCall("bash", "{\"command\":\"echo hi\",\"description\":\"Echo\"}", FakeReply.text("Ran it.")));
        llm.on("WRITE", FakeReply.toolCall("write", "{\"filePath\":\"hello.txt\",\"content\":\"hi\\n\"}", FakeReply.text("Wrote.")));
        llm.on("RETRY", FakeReply.error(429, "Rate limited by fake"));
        llm.on("BAD", FakeReply.error(400, "Bad request from fake"));
        try (OpenCodeServer oc = OpenCodeServer.builder().version(version).llm(llm).permission("{\"bash\":\"ask\"}").start()) {
            String base = oc.baseUrl();
            Files.writeString(out.resolve("agents.json"), get(base + "/agent"));
            Files.writeString(out.resolve("providers.json"), get(base + "/config/providers"));
            if (a.length > 2 && a[2].equals("catalog")) {
                llm.close();
                System.exit(0);
            }
            List<String> events = new CopyOnWriteArrayList<>();
            List<String> gevents = new CopyOnWriteArrayList<>();
            sse(base + "/event", events);
            sse(base + "/global/event", gevents);
            Thread.sleep(500);
            String sid = id(post(base + "/session", "{\"title\":\"rec\"}"));
            Files.writeString(out.resolve("session-create.json"), get(base + "/session/" + sid));
            // one question
            prompt(base, sid, "ASKONE please");
            String qs = waitFor(base + "/question", "que_");
            Files.writeString(out.resolve("question-list.json"), qs);
            String qid = qs.replaceAll("(?s).*?\"id\":\"(que_[^\"]+)\".*", "$1");
            post(base + "/question/" + qid + "/reply", "{\"answers\":[[\"Red\"]]}");
            waitIdle(base);
            // two questions, rejected
            prompt(base, sid, "ASKTWO please");
            qs = waitFor(base + "/question", "que_");
            Files.writeString(out.resolve("question-list-two.json"), qs);
            qid = qs.replaceAll("(?s).*?\"id\":\"(que_[^\"]+)\".*", "$1");
            post(base + "/question/" + qid + "/reject", "");
            waitIdle(base);
            prompt(base, sid, "TODOS please");
            waitIdle(base);
            Files.writeString(out.resolve("todo-list.json"), get(base + "/session/" + sid + "/todo"));
            prompt(base, sid, "PERM please");
            String ps = waitFor(base + "/permission", "per_");
            Files.writeString(out.resolve("permission-list.json"), ps);
            String pid = ps.replaceAll("(?s).*?\"id\":\"(per_[^\"]+)\".*", "$1");
            post(base + "/permission/" + pid + "/reply", "{\"reply\":\"once\"}");
            waitIdle(base);
            prompt(base, sid, "WRITE please");
            waitIdle(base);
            prompt(base, sid, "BAD please");
            waitIdle(base);
            prompt(base, sid, "RETRY please");
            Thread.sleep(2500);
            Files.writeString(out.resolve("session-status-retry.json"), get(base + "/session/status"));
            post(base + "/session/" + sid + "/abort", "");
            waitIdle(base);
            Files.writeString(out.resolve("session.json"), get(base + "/session/" + sid));
            Files.writeString(out.resolve("session-list.json"), get(base + "/session"));
            Files.writeString(out.resolve("messages.json"), get(base + "/session/" + sid + "/message"));
            Thread.sleep(11000); // a heartbeat
            Files.write(out.resolve("events.jsonl"), events);
            Files.write(out.resolve("global-events.jsonl"), gevents);
        }
        llm.close();
        System.exit(0);
    }
    static void prompt(String base, String sid, String text) throws Exception {
        post(base + "/session/" + sid + "/prompt_async", "{\"agent\":\"build\",\"model\":{\"providerID\":\"fake\",\"modelID\":\"fake-model\"},\"parts\":[{\"type\":\"text\",\"text\":\"" + text + "\"}]}");
        Thread.sleep(300);
    }
    static void waitIdle(String base) throws Exception {
        for (int i = 0; i < 200; i++) { Thread.sleep(100); if (get(base + "/session/status").equals("{}")) { Thread.sleep(300); return; } }
        throw new IllegalStateException("not idle: " + get(base + "/session/status"));
    }
    static String waitFor(String url, String needle) throws Exception {
        for (int i = 0; i < 200; i++) { String s = get(url); if (s.contains(needle)) return s; Thread.sleep(100); }
        throw new IllegalStateException("never: " + url);
    }
    static String id(String json) { return json.replaceAll("(?s).*?\"id\":\"(ses_[^\"]+)\".*", "$1"); }
    static String get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
    static String post(String url, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
    static void sse(String url, List<String> sink) {
        http.sendAsync(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofLines())
            .thenAccept(r -> r.body().forEach(l -> { if (l.startsWith("data: ")) sink.add(l.substring(6)); }));
    }
}
