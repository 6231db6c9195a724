package org.opencodemcp.server.opencode;

/** A call to an OpenCode server failed; the message is written for a person (and the assistant). */
public class OpenCodeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why the call failed, so callers can tell "not there" from "someone else is there". */
    public enum Kind {
        /** Connection refused, reset or timed out: nothing answers on the port (tunnel down). */
        UNREACHABLE,
        /** Something answered, but it is not an OpenCode API (HTML page, non-JSON, unexpected shape). */
        NOT_OPENCODE,
        /** 401: the server wants credentials we do not have (OPENCODE_SERVER_PASSWORD). */
        UNAUTHORIZED,
        /** 404 from OpenCode (unknown session, message, ...). */
        NOT_FOUND,
        /** Any other HTTP error status from OpenCode. */
        HTTP_ERROR
    }

    private final Kind kind;
    private final int status;

    public OpenCodeException(Kind kind, int status, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
    }

    public OpenCodeException(Kind kind, String message) {
        this(kind, 0, message, null);
    }

    public Kind kind() {
        return kind;
    }

    /** HTTP status, or 0 when no response was received. */
    public int status() {
        return status;
    }
}
