package org.opencodemcp.server.fault;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Generates registration files that must each be rejected with a reason (for fuzzing the registry). */
final class BadRegistrations {
    private static final String GOOD =
            "{\"name\":\"n%d\",\"hostname\":\"h\",\"port\":4100,\"localPort\":4100,\"cwd\":\"/x\",\"connectedAt\":\"2026-01-01T00:00:00Z\"}";

    private BadRegistrations() {}

    /** {@code count} distinct bad files, name -> bytes, reproducible for a seed. */
    static Map<String, byte[]> generate(Random random, int count) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        List<Mutation> mutations = List.of(
                BadRegistrations::truncated, BadRegistrations::wrongType, BadRegistrations::hugeNumber,
                BadRegistrations::nulBytes, BadRegistrations::deepNesting, BadRegistrations::badName,
                BadRegistrations::missingField, BadRegistrations::notAnObject, BadRegistrations::garbage,
                BadRegistrations::badTime, BadRegistrations::relativeCwd);
        for (int i = 0; out.size() < count; i++) {
            Mutation m = mutations.get(i % mutations.size());
            out.put(String.format("bad-%03d-%s.json", i, m.getClass().getSimpleName().hashCode() & 0xff), m.make(random, i));
        }
        // a few big ones: over the 64 KiB cap (10 MB once)
        out.put("big-10mb.json", ("{\"name\":\"" + "y".repeat(10 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8));
        out.put("big-65k.json", ("{\"name\":\"" + "y".repeat(65 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8));
        return out;
    }

    @FunctionalInterface
    private interface Mutation {
        byte[] make(Random r, int i);
    }

    private static byte[] good(int i) {
        return String.format(GOOD, i).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] truncated(Random r, int i) {
        byte[] g = good(i);
        return java.util.Arrays.copyOf(g, 1 + r.nextInt(g.length - 2));
    }

    private static byte[] wrongType(Random r, int i) {
        String[] variants = {"\"port\":\"4100\"", "\"port\":41.5", "\"port\":true", "\"port\":null", "\"port\":[4100]",
            "\"localPort\":{}", "\"cwd\":5", "\"name\":17", "\"hostname\":false", "\"connectedAt\":1700000000"};
        String v = variants[r.nextInt(variants.length)];
        String key = v.substring(0, v.indexOf(':'));
        return String.format(GOOD, i).replaceFirst(java.util.regex.Pattern.quote(key) + ":[^,}]*", java.util.regex.Matcher.quoteReplacement(v))
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] hugeNumber(Random r, int i) {
        String[] n = {"1e309", "-1", "0", "65536", "99999999999999999999999999", "-9223372036854775809", "4294967296"};
        return String.format(GOOD, i).replace("\"port\":4100", "\"port\":" + n[r.nextInt(n.length)]).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] nulBytes(Random r, int i) {
        byte[] g = good(i);
        g[1 + r.nextInt(g.length - 2)] = 0;
        return g;
    }

    private static byte[] deepNesting(Random r, int i) {
        int depth = 2000 + r.nextInt(3000);
        return ("[".repeat(depth) + "]".repeat(depth)).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] badName(Random r, int i) {
        String[] names = {"../../etc/passwd", "a/b", "..", ".", "", " ", "x".repeat(65), "name with space", "ü-umlaut",
            "semi;colon", "back\\\\slash", "new\\nline"};
        return String.format(GOOD, i).replace("\"n" + i + "\"", "\"" + names[r.nextInt(names.length)] + "\"")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] missingField(Random r, int i) {
        String[] fields = {"name", "hostname", "port", "localPort", "cwd", "connectedAt"};
        String f = fields[r.nextInt(fields.length)];
        return String.format(GOOD, i).replaceFirst("\"" + f + "\":(\"[^\"]*\"|[0-9]+),?", "").replace(",}", "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] notAnObject(Random r, int i) {
        String[] v = {"[]", "null", "42", "\"text\"", "true", "[" + String.format(GOOD, i) + "]"};
        return v[r.nextInt(v.length)].getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] garbage(Random r, int i) {
        byte[] b = new byte[1 + r.nextInt(300)];
        r.nextBytes(b);
        b[0] = (byte) '#'; // never accidentally valid JSON
        return b;
    }

    private static byte[] badTime(Random r, int i) {
        String[] t = {"yesterday", "2026-13-01T00:00:00Z", "2026-01-01 00:00:00", ""};
        return String.format(GOOD, i).replace("2026-01-01T00:00:00Z", t[r.nextInt(t.length)]).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] relativeCwd(Random r, int i) {
        return String.format(GOOD, i).replace("\"cwd\":\"/x\"", "\"cwd\":\"relative/dir\"").getBytes(StandardCharsets.UTF_8);
    }
}
