package org.opencodemcp.server.tools;

/**
 * A failure a tool reports to the assistant as an {@code isError} result. The message says what went
 * wrong and what to do next, and names the valid choices when there are some: it is all the caller
 * gets, because error results carry no structured content (see {@link ToolResults#error}).
 */
public final class ToolError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ToolError(String message) {
        super(message, null, false, false);
    }
}
