package org.opencodemcp.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A fresh unencrypted client key pair for a test relay, made by {@code ssh-keygen} (so the testkit
 * needs no SSH library). Ed25519 by default; {@code ecdsa} for relays that lack Ed25519 (MINA SSHD
 * without an EdDSA provider).
 */
public record SshClientKey(Path privateKey, String publicLine) {

    public static SshClientKey generate(Path dir) {
        return generate(dir, "ed25519");
    }

    /** @param type an {@code ssh-keygen -t} type: {@code ed25519}, {@code ecdsa}, {@code rsa} */
    public static SshClientKey generate(Path dir, String type) {
        Path priv = dir.resolve("id_" + type);
        try {
            Files.createDirectories(dir);
            OpenSshServer.run(List.of("ssh-keygen", "-q", "-t", type, "-N", "", "-C", "opencode-mcp-test",
                    "-f", priv.toString()));
            return new SshClientKey(priv, Files.readString(Path.of(priv + ".pub")).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
