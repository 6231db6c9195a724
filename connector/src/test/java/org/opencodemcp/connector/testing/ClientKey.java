package org.opencodemcp.connector.testing;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.KeyPair;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** A fresh unencrypted ECDSA key pair for the client side of a test relay. */
public record ClientKey(Path privateKey, String publicLine) {

    public static ClientKey generate(Path dir) throws Exception {
        KeyPair kp = KeyPair.genKeyPair(new JSch(), KeyPair.ECDSA, 256);
        Path priv = dir.resolve("id_ecdsa");
        kp.writePrivateKey(priv.toString());
        Files.setPosixFilePermissions(priv, PosixFilePermissions.fromString("rw-------"));
        ByteArrayOutputStream pub = new ByteArrayOutputStream();
        kp.writePublicKey(pub, "opencode-connected-test");
        kp.dispose();
        String line = pub.toString(StandardCharsets.US_ASCII).trim();
        Files.writeString(dir.resolve("id_ecdsa.pub"), line + "\n");
        return new ClientKey(priv, line);
    }
}
