package org.opencodemcp.server.registry;

import org.opencodemcp.contract.InvalidRegistration;
import org.opencodemcp.contract.Registration;
import org.opencodemcp.contract.RegistrationReader;
import org.opencodemcp.server.instance.InstanceState;

/**
 * What a registration file read means for its entry: turns the bytes into a {@link Registration} and
 * tells a heartbeat rewrite (the connector is alive; same name, port, directory and instance id) from
 * a new target (the entry is rebuilt and probed). Pure: the registry thread acts on the answer.
 */
final class RegistrationChange {
    private RegistrationChange() {}

    sealed interface Next {}

    /** The same bytes as last time, already understood: nothing to do. */
    record Unchanged() implements Next {}

    /** The file cannot be a registration (unreadable, too large, unsafe, or not a valid registration). */
    record Invalid(String reason) implements Next {}

    /** The same target rewritten (a heartbeat): keep the entry, re-probe it only if it was lost. */
    record Heartbeat(Registration registration) implements Next {}

    /** A registration for a new target (or the first, or one that was invalid): rebuild and probe. */
    record NewTarget(Registration registration) implements Next {}

    /**
     * @param read        what the file held ({@link RegistryFile.Gone} is the registry's to handle: no entry)
     * @param sameBytes   whether the file holds the bytes the entry was last built from (digests compared)
     * @param before      the entry's registration, or null when it has none (new, or invalid)
     * @param state       the entry's state
     */
    static Next of(RegistryFile.Read read, boolean sameBytes, Registration before, InstanceState state) {
        if (read instanceof RegistryFile.Problem p) {
            return new Invalid(p.reason());
        }
        if (!(read instanceof RegistryFile.Content content)) {
            throw new IllegalArgumentException("a vanished file has no entry to change");
        }
        if (sameBytes && before != null) {
            return new Unchanged();
        }
        Registration reg;
        try {
            reg = RegistrationReader.read(content.bytes());
        } catch (InvalidRegistration bad) {
            return new Invalid(bad.getMessage());
        }
        return before != null && before.sameTarget(reg) && state != InstanceState.INVALID ? new Heartbeat(reg) : new NewTarget(reg);
    }
}
