package org.opencodemcp.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PlainJsonReaderTest {
    /** readTree as the SDK's line reading sees it, refusing anything after the value */
    private static final ObjectMapper JACKSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final String CLAUDE_CODE = "{\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
            + "\"capabilities\":{\"roots\":{}},\"clientInfo\":{\"name\":\"claude-code\",\"version\":\"2.0.14\"}},"
            + "\"jsonrpc\":\"2.0\",\"id\":0}";

    private static JsonNode read(String text) {
        return PlainJsonReader.read(text.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode jackson(byte[] bytes) {
        try {
            return JACKSON.readTree(bytes);
        } catch (Exception e) {
            return null;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        CLAUDE_CODE,
        "{\"n\":[1,-2.5e3,12345678901234567890,true,false,null,\"\\u00e9\\n\"],\"o\":{},\"x\":1,\"x\":2}",
        " [ 0 , -0 , 2147483647 , 2147483648 , -2147483648 , -2147483649 , 9223372036854775807 , 9223372036854775808 ] ",
        "[1.5, -0.0, 1E2, 1e-2, 6.02e+23, 0.1, 4.9e-324]",
        "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0000\\u001f\\ud83d\\ude00\\ud800\\uABcd é 日本 \u007f\"",
        "{\"a\":{\"b\":{\"c\":[[[]]]}}}",
        "{\"\":\"\"}",
        "\t\r\n{\"id\":\"abc\"}\r\n",
        "null", "true", "7", "\"s\"",
    })
    void readsWhatReadTreeReads(String text) {
        JsonNode mine = read(text);
        assertThat(mine).as("read").isNotNull();
        assertThat(mine).isEqualTo(jackson(text.getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", " ", "{", "}", "{\"a\":1", "{\"a\":1,}", "[1,]", "[,1]", "{\"a\" 1}", "{a:1}", "{'a':1}",
        "{\"a\":1} {}", "{\"a\":1}x", "01", "-", "1.", ".5", "1e", "+1", "NaN", "Infinity", "1e400", "tru", "nul",
        "\"unterminated", "\"\\x\"", "\"\\u12g4\"", "\"raw\ttab\"", "\"raw\nline\"", "// comment\n{}", "\ufeff{}",
        "[1 2]", "{\"a\":1 \"b\":2}", "\"\\u\u0663\u0663\u0663\u0663\"", "\"\\uFFfg\"", "[\u0661]",
    })
    void leavesEverythingElseToTheUsualPath(String text) {
        assertThat(read(text)).as(text).isNull();
    }

    @Test
    void refusesInvalidUtf8DeepNestingAndLongNumbers() {
        assertThat(PlainJsonReader.read(new byte[] {'"', (byte) 0xC3, '"'})).isNull();
        assertThat(PlainJsonReader.read(new byte[] {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'})).as("an encoded surrogate").isNull();
        String deep = "[".repeat(PlainJsonReader.MAX_DEPTH) + "]".repeat(PlainJsonReader.MAX_DEPTH);
        assertThat(read(deep)).isNotNull();
        assertThat(read("[" + deep + "]")).isNull();
        assertThat(read("1".repeat(PlainJsonReader.MAX_NUMBER_CHARS))).isNotNull();
        assertThat(read("1".repeat(PlainJsonReader.MAX_NUMBER_CHARS + 1))).isNull();
    }

    @Test
    void neverReadsWhatReadTreeWouldNotOrDifferently() {
        // mutations of real requests: whatever this reader takes, Jackson takes and reads the same
        Random random = new Random(25);
        String[] seeds = {CLAUDE_CODE, "{\"n\":[1,-2.5e3,12345678901234567890,true,false,null,\"\\u00e9\\n\"],\"o\":{}}"};
        String alphabet = "{}[]\",:\\/ 0123456789-+.eEtrufalsn\tu\u00e9x\u0663Fa";
        int taken = 0;
        for (int i = 0; i < 50_000; i++) {
            StringBuilder s = new StringBuilder(seeds[i % seeds.length]);
            for (int m = 1 + random.nextInt(3); m > 0 && s.length() > 0; m--) {
                int at = random.nextInt(s.length());
                switch (random.nextInt(3)) {
                    case 0 -> s.deleteCharAt(at);
                    case 1 -> s.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    default -> s.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            byte[] bytes = s.toString().getBytes(StandardCharsets.UTF_8);
            JsonNode mine = PlainJsonReader.read(bytes);
            if (mine != null) {
                taken++;
                assertThat(mine).as(s.toString()).isEqualTo(jackson(bytes));
            }
        }
        assertThat(taken).as("some mutations are still JSON").isGreaterThan(1_000);
    }
}
