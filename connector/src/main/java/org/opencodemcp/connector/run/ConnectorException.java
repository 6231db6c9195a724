package org.opencodemcp.connector.run;

/** The connector cannot run: a message for the person and the exit code to end with. */
public final class ConnectorException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    public ConnectorException(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
