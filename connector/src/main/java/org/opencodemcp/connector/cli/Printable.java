package org.opencodemcp.connector.cli;

/**
 * Text from a registration or from a remote answer, made safe for a terminal line: control
 * characters (a newline could forge a status row, an escape sequence could repaint the terminal)
 * are shown as {@code \\uXXXX}, and overlong values are cut.
 */
final class Printable {
    static final int MAX_CHARS = 200;

    private Printable() {}

    static String of(String value) {
        if (value == null) {
            return "-";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), MAX_CHARS) + 8);
        for (int i = 0; i < value.length() && out.length() < MAX_CHARS; i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return value.length() > MAX_CHARS ? out + "..." : out.toString();
    }
}
