package org.opencodemcp.contract;

import java.io.IOException;

/** A file that is not a registration, with one sentence a person can act on (never a stack trace). */
public final class InvalidRegistration extends IOException {
    private static final long serialVersionUID = 1L;

    public InvalidRegistration(String reason) {
        super(reason);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // a reason, not a bug: junk files are common and must stay cheap
    }
}
