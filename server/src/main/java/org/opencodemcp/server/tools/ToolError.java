package org.opencodemcp.server.tools;

import java.util.List;

/**
 * A failure a tool reports to the assistant as an {@code isError} result: the message says what
 * went wrong and what to do next; {@code candidates} lists valid choices when there are some.
 */
public final class ToolError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient List<String> candidates;

    public ToolError(String message) {
        this(message, List.of());
    }

    public ToolError(String message, List<String> candidates) {
        super(message, null, false, false);
        this.candidates = candidates == null ? List.of() : List.copyOf(candidates);
    }

    public List<String> candidates() {
        return candidates;
    }
}
