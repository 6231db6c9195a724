package org.opencodemcp.connector.registry;

import java.util.Optional;
import org.opencodemcp.contract.Registration;

/** One {@code *.json} file of a registry directory: its parsed content, or why it could not be read. */
public record RegistryEntry(String fileName, Optional<Registration> registration, String problem) {

    public static RegistryEntry ok(String fileName, Registration r) {
        return new RegistryEntry(fileName, Optional.of(r), null);
    }

    public static RegistryEntry invalid(String fileName, String problem) {
        return new RegistryEntry(fileName, Optional.empty(), problem);
    }
}
