package org.opencodemcp.server.tools;

/** Small helpers for the Markdown the tools return. */
public final class Markdown {
    private Markdown() {}

    /** Makes a value safe inside a table cell: no pipes or line breaks. */
    public static String cell(Object value) {
        if (value == null) {
            return "-";
        }
        String s = value.toString().replace("|", "\\|").replaceAll("[\\r\\n]+", " ");
        return s.isBlank() ? "-" : s;
    }

    public static String code(String s) {
        return "`" + (s == null ? "" : s.replace("`", "'")) + "`";
    }
}
