package org.opencodemcp.connector.registry;

import java.time.Instant;
import java.util.Objects;

/**
 * One registration file's content (plans/registration.md). {@code port} is the port on the relay's
 * loopback (the allocated tunnel port, or opencode's own port in local-only mode).
 *
 * @param heartbeatAt      null until the first heartbeat
 * @param instanceId       random per launch; the connector only ever deletes a file carrying its own id
 * @param opencodeVersion  null when unknown
 * @param pid              null when unknown
 * @param connectorName    null when the file was written by another program (the bash original)
 */
public record Registration(String name, String hostname, int port, int localPort, String cwd, Instant connectedAt,
                           Instant heartbeatAt, String instanceId, String opencodeVersion, Long pid,
                           String connectorName, String connectorVersion) {

    public Registration {
        InstanceName.requireValid(name);
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(cwd, "cwd");
        Objects.requireNonNull(connectedAt, "connectedAt");
        if (!cwd.startsWith("/")) {
            throw new IllegalArgumentException("cwd must be an absolute path, got '" + cwd + "'");
        }
        requirePort("port", port);
        requirePort("localPort", localPort);
    }

    /** The same instance reachable through a (new) tunnel port, connected now. */
    public Registration connected(int newPort, Instant now) {
        return new Registration(name, hostname, newPort, localPort, cwd, now, now, instanceId, opencodeVersion, pid,
                connectorName, connectorVersion);
    }

    public Registration heartbeat(Instant now) {
        return new Registration(name, hostname, port, localPort, cwd, connectedAt, now, instanceId, opencodeVersion, pid,
                connectorName, connectorVersion);
    }

    public String fileName() {
        return name + ".json";
    }

    private static void requirePort(String field, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(field + " must be 1-65535, got " + port);
        }
    }
}
