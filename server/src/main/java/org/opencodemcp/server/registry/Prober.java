package org.opencodemcp.server.registry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.opencodemcp.server.opencode.OpenCodeClient;
import org.opencodemcp.server.opencode.OpenCodeException;
import org.opencodemcp.contract.SafeText;

/**
 * Probes one OpenCode server: {@code GET /global/health} must say healthy, then {@code GET /path}
 * must report the registered directory. Without the identity check a tunnel port reused by another
 * connector would silently route prompts to the wrong machine.
 */
final class Prober {
    private final Duration timeout;

    Prober(Duration timeout) {
        this.timeout = timeout;
    }

    CompletableFuture<ProbeOutcome> probe(OpenCodeClient client, String expectedCwd) {
        return PortCheck.listening(client.port(), timeout).thenCompose(listening -> {
            if (!listening) {
                return CompletableFuture.completedFuture(new ProbeOutcome.Unreachable(
                        "connection refused on 127.0.0.1:" + client.port() + " (nothing listens: tunnel or opencode down)", true));
            }
            // OpenCode wants the password on every route, /path included: who holds the port is
            // checked before anything (a password, a prompt) is sent to it
            String foreign = ListenerOwner.foreignHolder(client.port());
            return foreign != null ? CompletableFuture.completedFuture(new ProbeOutcome.Mismatch(foreign))
                    : httpProbe(client, expectedCwd);
        });
    }

    private CompletableFuture<ProbeOutcome> httpProbe(OpenCodeClient client, String expectedCwd) {
        return client.health(timeout)
                .thenCompose(health -> {
                    if (!health.healthy()) {
                        return CompletableFuture.completedFuture(
                                (ProbeOutcome) new ProbeOutcome.Unreachable("/global/health reports healthy=false"));
                    }
                    return client.path(timeout).thenApply(path -> identity(expectedCwd, path.directory(), path.worktree(), health.version()));
                })
                .exceptionally(Prober::failure);
    }

    private static ProbeOutcome identity(String expected, String directory, String worktree, String version) {
        if (expected == null || samePath(expected, directory) || samePath(expected, worktree)) {
            return new ProbeOutcome.Online(version);
        }
        return new ProbeOutcome.Mismatch("the port answers for directory " + SafeText.log(directory) + ", not " + SafeText.log(expected)
                + " (the tunnel port now belongs to another instance)");
    }

    static boolean samePath(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        try {
            return Path.of(a).normalize().equals(Path.of(b).normalize());
        } catch (RuntimeException e) {
            return a.equals(b);
        }
    }

    private static ProbeOutcome failure(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof OpenCodeException oce) {
            return switch (oce.kind()) {
                case NOT_OPENCODE -> new ProbeOutcome.Mismatch(oce.getMessage());
                default -> new ProbeOutcome.Unreachable(oce.getMessage());
            };
        }
        return new ProbeOutcome.Unreachable(String.valueOf(cause));
    }
}
