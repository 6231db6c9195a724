package org.opencodemcp.server.jobs;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Job ids: {@code job_} and a ULID (48-bit millisecond time, 80 random bits, Crockford base32), so
 * ids sort by creation time and never collide between servers sharing a database.
 */
public final class JobId {
    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final Pattern SHAPE = Pattern.compile("job_[0-9A-HJKMNP-TV-Z]{26}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private JobId() {}

    public static String next(Instant at) {
        byte[] random = new byte[10];
        RANDOM.nextBytes(random);
        return of(at.toEpochMilli(), random);
    }

    static String of(long millis, byte[] random) {
        char[] out = new char[26];
        long time = millis;
        for (int i = 9; i >= 0; i--) {
            out[i] = CROCKFORD[(int) (time & 31)];
            time >>>= 5;
        }
        // 80 random bits = 16 characters of 5 bits
        long hi = 0;
        for (int i = 0; i < 5; i++) {
            hi = (hi << 8) | (random[i] & 0xff);
        }
        long lo = 0;
        for (int i = 5; i < 10; i++) {
            lo = (lo << 8) | (random[i] & 0xff);
        }
        for (int i = 17; i >= 10; i--) {
            out[i] = CROCKFORD[(int) (hi & 31)];
            hi >>>= 5;
        }
        for (int i = 25; i >= 18; i--) {
            out[i] = CROCKFORD[(int) (lo & 31)];
            lo >>>= 5;
        }
        return "job_" + new String(out);
    }

    /** True for a well-formed id (case-insensitive input is upper-cased by {@link #normalize}). */
    public static boolean valid(String id) {
        return id != null && SHAPE.matcher(id).matches();
    }

    /** Trims and upper-cases the ULID part, so a retyped id still matches. */
    public static String normalize(String id) {
        String t = id == null ? "" : id.trim();
        return t.regionMatches(true, 0, "job_", 0, 4) ? "job_" + t.substring(4).toUpperCase(java.util.Locale.ROOT) : t;
    }
}
