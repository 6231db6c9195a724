package org.opencodemcp.server.instance;

/** The result of one health + identity probe. */
public sealed interface ProbeOutcome {

    record Online(String version) implements ProbeOutcome {}

    record Unreachable(String reason) implements ProbeOutcome {}

    record Mismatch(String reason) implements ProbeOutcome {}
}
