package org.opencodemcp.server.transport;

/** A wrong or unsafe HTTP setting: the message says what to change. The server refuses to start. */
public final class HttpConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HttpConfigException(String message) {
        super(message);
    }
}
