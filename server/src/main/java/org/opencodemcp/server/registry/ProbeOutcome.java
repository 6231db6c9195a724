package org.opencodemcp.server.registry;

/** The result of one health + identity probe. */
sealed interface ProbeOutcome {

    record Online(String version) implements ProbeOutcome {}

    /**
     * @param refused nothing listens on the port: certain, unlike a slow or broken answer, which a
     *                live instance may give once under load
     */
    record Unreachable(String reason, boolean refused) implements ProbeOutcome {
        public Unreachable(String reason) {
            this(reason, false);
        }
    }

    record Mismatch(String reason) implements ProbeOutcome {}
}
