package org.opencodemcp.server.tools;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One page of a sorted list, after a filter, with an opaque cursor for the next page.
 *
 * <p>The cursor names the last row's sort key, not an offset: rows that appear or vanish between
 * two calls shift nothing, so a walk through the pages never repeats a row and never skips one that
 * was there all along. The key is base64url text so that clients treat it as opaque.
 */
public final class Paging {
    /** What {@code limit} may be at most; larger values are clamped. */
    public static final int MAX_LIMIT = 1000;

    private Paging() {}

    /**
     * @param rows    every row of the page
     * @param matched how many rows of the whole list pass the filter
     * @param next    the cursor of the next page, or null on the last one
     */
    public record Page<T>(List<T> rows, int matched, String next) {}

    /**
     * @param sorted the whole list in its sort order, keys strictly increasing in that order
     * @param key    a row's unique sort key; {@code after} compares keys the same way as the list is sorted
     * @param after  true when the row comes after the key (in sort order)
     */
    public static <T> Page<T> page(List<T> sorted, Predicate<T> filter, int limit, String cursor, Function<T, String> key,
            AfterKey<T> after) {
        String from = decode(cursor);
        int n = Math.max(1, Math.min(MAX_LIMIT, limit));
        List<T> rows = new ArrayList<>(Math.min(n, sorted.size()));
        int matched = 0;
        String last = null;
        boolean more = false;
        for (T row : sorted) {
            if (!filter.test(row)) {
                continue;
            }
            matched++;
            if (from != null && !after.after(row, from)) {
                continue;
            }
            if (rows.size() < n) {
                rows.add(row);
                last = key.apply(row);
            } else {
                more = true;
            }
        }
        return new Page<>(List.copyOf(rows), matched, more ? encode(last) : null);
    }

    /** Compares a row with a decoded cursor key. */
    @FunctionalInterface
    public interface AfterKey<T> {
        boolean after(T row, String key);
    }

    /** Case-insensitive substring test over some fields; a null or blank query matches everything. */
    public static boolean contains(String query, String... fields) {
        if (query == null || query.isBlank()) {
            return true;
        }
        String q = query.strip().toLowerCase(Locale.ROOT);
        for (String f : fields) {
            if (f != null && f.toLowerCase(Locale.ROOT).contains(q)) {
                return true;
            }
        }
        return false;
    }

    static String encode(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("k1:" + key).getBytes(StandardCharsets.UTF_8));
    }

    /** The key in a cursor, or null for none; a cursor this server did not make is a {@link ToolError}. */
    static String decode(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            String s = new String(Base64.getUrlDecoder().decode(cursor.strip()), StandardCharsets.UTF_8);
            if (s.startsWith("k1:")) {
                return s.substring(3);
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below
        }
        throw new ToolError("Argument `cursor` is not a cursor from this tool; pass the `nextCursor` of the previous answer"
                + " unchanged, or leave it out for the first page.");
    }
}
