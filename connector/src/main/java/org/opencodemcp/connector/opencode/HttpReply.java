package org.opencodemcp.connector.opencode;

/** Status and body of one small HTTP response. */
public record HttpReply(int status, String body) {

    public boolean ok() {
        return status >= 200 && status < 300;
    }
}
