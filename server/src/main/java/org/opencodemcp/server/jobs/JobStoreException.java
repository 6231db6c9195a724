package org.opencodemcp.server.jobs;

/** The job store cannot be opened or written; the message names the file and, at start, the fix. */
public final class JobStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public JobStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public JobStoreException(String message) {
        super(message);
    }
}
