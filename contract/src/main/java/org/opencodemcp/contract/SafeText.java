package org.opencodemcp.contract;

/**
 * Text that came from a registration file or from an instance (hostname, cwd, a reported directory,
 * a failure reason) is untrusted: a newline in a hostname could forge a log line or a status row, an
 * escape sequence could repaint a terminal, a '|' or a backtick could forge a row or a heading in the
 * Markdown the assistant reads. Such text leaves either program only through these renderings.
 */
public final class SafeText {
    /** Longer values are clipped: a registration is small, and a log line should stay one screen line. */
    public static final int MAX_CHARS = 300;

    private SafeText() {}

    /** One log line's worth: control, line-separator and bidi-override characters become visible escapes ({@code \n}, {@code \u001b}). */
    public static String log(Object value) {
        if (value == null) {
            return "null";
        }
        return escape(value.toString(), false);
    }

    /** A value in a terminal row (the connector's {@code status}): escaped as in {@link #log}; null is "-". */
    public static String terminal(Object value) {
        return value == null ? "-" : escape(value.toString(), false);
    }

    /**
     * Safe inline Markdown (a table cell or a list item): controls escaped as in {@link #log}, and
     * the characters that could open structure ({@code \ | ` < > [ ]}) backslash-escaped. Null or
     * blank becomes "-".
     */
    public static String markdown(Object value) {
        if (value == null || value.toString().isBlank()) {
            return "-";
        }
        return escape(value.toString(), true);
    }

    private static String escape(String s, boolean markdown) {
        boolean clipped = s.length() > MAX_CHARS;
        String t = clipped ? s.substring(0, MAX_CHARS) : s;
        StringBuilder out = new StringBuilder(t.length() + 8);
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (dangerous(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else if (markdown && "\\|`<>[]".indexOf(c) >= 0) {
                        out.append('\\').append(c);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return clipped ? out.append("...").toString() : out.toString();
    }

    /** C0/C1 controls, DEL, Unicode line/paragraph separators and bidirectional overrides (they reorder what a reader sees). */
    private static boolean dangerous(char c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || (c >= '\u202a' && c <= '\u202e')
                || (c >= '\u2066' && c <= '\u2069');
    }
}
