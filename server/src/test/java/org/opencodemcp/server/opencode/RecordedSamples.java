package org.opencodemcp.server.opencode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON recorded from the real opencode binaries driven by the fake LLM (questions, todos, a permission, a
 * write, a 400 and a 429, {@code /event} and {@code /global/event}), under {@code opencode-samples/<version>/}.
 * {@link SampleRecorder} made them.
 */
public final class RecordedSamples {
    public static final List<String> VERSIONS = List.of("1.18.33", "1.14.41", "1.2.27");
    private static final ObjectMapper JSON = new ObjectMapper();

    private RecordedSamples() {}

    public static JsonNode json(String version, String file) throws Exception {
        try (InputStream in = open(version, file)) {
            return JSON.readTree(in);
        }
    }

    /** Every {@code data:} payload of a recorded stream, in order. */
    public static List<JsonNode> stream(String version, String file) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(open(version, file), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank()) {
                    out.add(JSON.readTree(line));
                }
            }
        }
        return out;
    }

    /** The recorded {@code /event} stream as the client decodes it. */
    public static List<OpenCodeEvent> events(String version) throws Exception {
        List<OpenCodeEvent> out = new ArrayList<>();
        for (JsonNode n : stream(version, "events.jsonl")) {
            OpenCodeEvent e = EventStream.parse(n);
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    private static InputStream open(String version, String file) {
        InputStream in = RecordedSamples.class.getResourceAsStream("/opencode-samples/" + version + "/" + file);
        if (in == null) {
            throw new IllegalStateException("no recorded sample " + version + "/" + file);
        }
        return in;
    }
}
