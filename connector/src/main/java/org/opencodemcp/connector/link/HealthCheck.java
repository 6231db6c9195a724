package org.opencodemcp.connector.link;

import java.io.IOException;
import java.time.Duration;
import org.opencodemcp.connector.opencode.Health;

/** One bounded health check of the local opencode ({@code OpenCodeProcess::probe}). */
@FunctionalInterface
public interface HealthCheck {

    Health check(Duration timeout) throws IOException;
}
