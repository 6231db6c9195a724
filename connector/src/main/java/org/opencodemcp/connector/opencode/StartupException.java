package org.opencodemcp.connector.opencode;

/** opencode did not come up: why, and the exit code the connector should end with. */
public final class StartupException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    public StartupException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
