package org.opencodemcp.connector.relay;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends JSch's own log lines to the connector's log. JSch's INFO level narrates every handshake step,
 * so it goes to DEBUG; warnings and errors keep their level.
 */
final class JSchLogBridge implements com.jcraft.jsch.Logger {

    private static final Logger LOG = LoggerFactory.getLogger("jsch");

    @Override
    public boolean isEnabled(int level) {
        return level >= WARN ? LOG.isWarnEnabled() : LOG.isDebugEnabled();
    }

    @Override
    public void log(int level, String message) {
        if (level >= ERROR) {
            LOG.error(message);
        } else if (level == WARN) {
            LOG.warn(message);
        } else {
            LOG.debug(message);
        }
    }
}
