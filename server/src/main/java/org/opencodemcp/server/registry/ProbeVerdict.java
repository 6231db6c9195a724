package org.opencodemcp.server.registry;

import org.opencodemcp.server.instance.InstanceState;

/**
 * What a probe's outcome means for an entry. One slow or broken answer from an instance that was
 * online (a burst of probes on a busy relay, a pause) is not a lost instance: it is asked once more at
 * once, and only a second failure counts; a refused connection is certain and counts at once. Pure:
 * the registry thread acts on the answer, and re-probes a lost entry by {@code RetryPolicy.PROBE}.
 */
final class ProbeVerdict {
    private ProbeVerdict() {}

    sealed interface Next {}

    /** It answers for its directory: online, running {@code version}. */
    record Online(String version) implements Next {}

    /** Probe again now, counting this failure. */
    record AskAgain() implements Next {}

    /** Unreachable or answering for someone else: {@code state}, because of {@code reason}. */
    record Lost(InstanceState state, String reason) implements Next {}

    /**
     * @param state    the entry's state before this outcome
     * @param failures failed probes in a row before this outcome
     */
    static Next after(ProbeOutcome outcome, InstanceState state, int failures) {
        if (outcome instanceof ProbeOutcome.Online online) {
            return new Online(online.version());
        }
        if (outcome instanceof ProbeOutcome.Mismatch m) {
            return new Lost(InstanceState.MISMATCH, m.reason());
        }
        ProbeOutcome.Unreachable u = (ProbeOutcome.Unreachable) outcome;
        if (!u.refused() && state == InstanceState.ONLINE && failures == 0) {
            return new AskAgain();
        }
        return new Lost(InstanceState.UNREACHABLE, u.reason());
    }
}
