package org.opencodemcp.server.registry;

import java.time.Instant;

/**
 * A validated registration file (contract: plans/registration.md).
 *
 * @param port          port on the relay's loopback where the instance's OpenCode API answers
 * @param heartbeatAt   refreshed by the connector while alive; null for files of the original bash script
 * @param instanceId    random per launch; null for the original script
 */
public record Registration(
        String name,
        String hostname,
        int port,
        int localPort,
        String cwd,
        Instant connectedAt,
        Instant heartbeatAt,
        String instanceId,
        String opencodeVersion,
        Long pid,
        String connector) {

    /** True when the two registrations point at the same OpenCode server (same name, port and directory). */
    public boolean sameTarget(Registration other) {
        return other != null && name.equals(other.name) && port == other.port && cwd.equals(other.cwd)
                && java.util.Objects.equals(instanceId, other.instanceId);
    }
}
