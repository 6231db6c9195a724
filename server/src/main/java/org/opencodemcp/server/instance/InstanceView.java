package org.opencodemcp.server.instance;

import java.time.Instant;

/**
 * An immutable snapshot of one registry entry, as shown by {@code list_instances}.
 *
 * @param file          registration file name (e.g. {@code laptop-proj.json})
 * @param name          instance name; for an unparsable file, the file name without {@code .json}
 * @param reason        why the entry is not online (null when online)
 * @param since         when the current state began
 * @param failures      consecutive failed probes (unreachable/mismatch)
 * @param lastSeen      last successful probe or event, null if never
 * @param busySessions  sessions currently busy or retrying (from the event stream)
 * @param pendingPermissions permission requests waiting for an answer
 * @param pendingQuestions  questions ({@code question.asked}) waiting for an answer
 * @param note          something worth knowing about an online instance (e.g. no live events), or null
 */
public record InstanceView(
        String file,
        String name,
        String hostname,
        String cwd,
        Integer port,
        InstanceState state,
        String version,
        String reason,
        Instant since,
        int failures,
        Instant lastSeen,
        Instant heartbeatAt,
        int busySessions,
        int pendingPermissions,
        int pendingQuestions,
        String note) {

    public boolean online() {
        return state == InstanceState.ONLINE;
    }
}
