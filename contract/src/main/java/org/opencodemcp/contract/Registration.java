package org.opencodemcp.contract;

import java.time.Instant;
import java.util.Objects;

/**
 * One registration file's content (plans/registration.md), valid by construction: every rule of the
 * contract is checked here, so a reader and a writer cannot disagree on what a registration is.
 *
 * @param port             port on the relay's loopback where the instance's OpenCode API answers
 * @param localPort        opencode's port on its own machine (informational)
 * @param cwd              absolute: {@code /...}, or a Windows drive path {@code C:\...}
 * @param heartbeatAt      refreshed by the connector while alive; null for files of the original bash script
 * @param instanceId       random per launch; null for the original script
 * @param opencodeVersion  null when unknown
 * @param pid              the connector's process id on its own machine (>= 1), null when unknown
 * @param connectorName    the program that wrote the file, null for the original script
 */
public record Registration(String name, String hostname, int port, int localPort, String cwd, Instant connectedAt,
                           Instant heartbeatAt, String instanceId, String opencodeVersion, Long pid,
                           String connectorName, String connectorVersion) {

    /** @throws IllegalArgumentException with the contract's reason when a field breaks a rule */
    public Registration {
        String problem = problem(name, hostname, port, localPort, cwd, connectedAt, pid,
                new String[] {"instanceId", instanceId, "opencodeVersion", opencodeVersion, "connector.name", connectorName,
                        "connector.version", connectorVersion});
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
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

    /** {@code <name>.json}. */
    public String fileName() {
        return RegistryFiles.registrationFileName(name);
    }

    /** "name version" of the program that wrote the file, or null when it did not say. */
    public String connector() {
        if (connectorName == null && connectorVersion == null) {
            return null;
        }
        return ((connectorName == null ? "?" : connectorName) + " " + (connectorVersion == null ? "" : connectorVersion)).trim();
    }

    /** True when the two registrations point at the same OpenCode server (same name, port, directory and launch). */
    public boolean sameTarget(Registration other) {
        return other != null && name.equals(other.name) && port == other.port && cwd.equals(other.cwd)
                && Objects.equals(instanceId, other.instanceId);
    }

    /** Whether {@code cwd} is absolute on the machine opencode runs on (POSIX, or a Windows drive path). */
    public static boolean isAbsolutePath(String cwd) {
        return cwd.startsWith("/") || cwd.matches("[A-Za-z]:[\\\\/].*");
    }

    private static String problem(String name, String hostname, int port, int localPort, String cwd, Instant connectedAt,
                                  Long pid, String[] optional) {
        String p = requiredText("name", name);
        if (p == null) {
            p = InstanceName.problem(name);
        }
        if (p == null) {
            p = requiredText("hostname", hostname);
        }
        if (p == null) {
            p = requiredText("cwd", cwd);
        }
        if (p == null && !isAbsolutePath(cwd)) {
            p = "cwd \"" + InstanceName.clip(SafeText.log(cwd)) + "\" is not an absolute path (/... or C:\\...)";
        }
        if (p == null) {
            p = portProblem("port", port);
        }
        if (p == null) {
            p = portProblem("localPort", localPort);
        }
        if (p == null && connectedAt == null) {
            p = "missing field \"connectedAt\"";
        }
        if (p == null && pid != null && pid < 1) {
            p = "field \"pid\" must be a positive integer, found " + pid;
        }
        for (int i = 0; p == null && i < optional.length; i += 2) {
            if (optional[i + 1] != null && optional[i + 1].indexOf('\0') >= 0) {
                p = "field \"" + optional[i] + "\" contains a NUL character";
            }
        }
        return p;
    }

    private static String requiredText(String field, String value) {
        if (value == null) {
            return "missing field \"" + field + "\"";
        }
        if (value.isBlank()) {
            return "field \"" + field + "\" is empty";
        }
        if (value.indexOf('\0') >= 0) {
            return "field \"" + field + "\" contains a NUL character";
        }
        return null;
    }

    private static String portProblem(String field, int port) {
        return port < 1 || port > 65535 ? "field \"" + field + "\" is out of range 1-65535: " + port : null;
    }
}
