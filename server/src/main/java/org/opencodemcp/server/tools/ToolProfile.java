package org.opencodemcp.server.tools;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which tools a client sees ({@code TOOLS} / {@code --tools}). A chat on a phone drives a fleet better
 * with three tools than with a dozen, so {@code simple} offers only the original server's
 * {@code instances}, {@code send} and {@code read}.
 */
public enum ToolProfile {
    /** Every full tool, including those added later (the default). */
    FULL,
    /** Only instances, send and read. */
    SIMPLE,
    /** Both sets. */
    ALL;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the valid profiles, for a one-line start-up error */
    public static ToolProfile parse(String value) {
        String v = value == null || value.isBlank() ? "full" : value.strip().toLowerCase(Locale.ROOT);
        for (ToolProfile p : values()) {
            if (p.label().equals(v)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown tool profile '" + value + "' (TOOLS / --tools); valid: "
                + Arrays.stream(values()).map(ToolProfile::label).collect(Collectors.joining(", ")));
    }
}
