package org.opencodemcp.server.registry;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.opencodemcp.contract.BasicAuth;
import org.opencodemcp.contract.RegistryFiles;
import org.opencodemcp.server.opencode.Credentials;

/**
 * The per-instance secret beside a registration (contract: /plans/registration.md, "The secret"):
 * {@code <name>.auth} next to {@code <name>.json}, in the format of {@link BasicAuth}, owned by this
 * account with no group/other permission bits. Its pair is sent only to the port of the registration
 * of the same name; a bad file makes that instance invalid and nothing is sent.
 */
public final class AuthFile {
    private AuthFile() {}

    /** What the registry knows about an instance's credentials. */
    public sealed interface Result permits Absent, Found, Bad {}

    /** No {@code .auth}: the server-wide OPENCODE_SERVER_PASSWORD (if any) applies, as before the contract. */
    public record Absent() implements Result {}

    public record Found(Credentials credentials) implements Result {}

    /** Present but not to be used; the reason names the file and never quotes its content. */
    public record Bad(String reason) implements Result {}

    public static boolean isAuthFile(Path file) {
        return RegistryFiles.isAuthFileName(file.getFileName().toString());
    }

    /** {@code <dir>/<name>.auth} for {@code <dir>/<name>.json}. */
    public static Path beside(Path registration) {
        return registration.resolveSibling(RegistryFiles.sibling(registration.getFileName().toString(),
                RegistryFiles.JSON_SUFFIX, RegistryFiles.AUTH_SUFFIX));
    }

    /** {@code <dir>/<name>.json} for {@code <dir>/<name>.auth}. */
    public static Path registrationFor(Path auth) {
        return auth.resolveSibling(RegistryFiles.sibling(auth.getFileName().toString(),
                RegistryFiles.AUTH_SUFFIX, RegistryFiles.JSON_SUFFIX));
    }

    /** Reads the credentials of the registration {@code registration}, read afresh on every probe. */
    public static Result read(Path registration) {
        Path auth = beside(registration);
        RegistryFile.Read read = RegistryFile.read(auth, BasicAuth.MAX_AUTH_FILE_BYTES, FileTrust.GROUP_OTHER_ANY);
        if (read instanceof RegistryFile.Gone) {
            return new Absent();
        }
        if (read instanceof RegistryFile.Problem p) {
            return new Bad("credentials file " + auth.getFileName() + " " + p.reason() + "; nothing is sent to its port");
        }
        byte[] bytes = ((RegistryFile.Content) read).bytes();
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return bad(auth, "is not UTF-8 text");
        }
        BasicAuth pair;
        try {
            pair = BasicAuth.parseAuthFile(text);
        } catch (IllegalArgumentException e) {
            return bad(auth, e.getMessage()); // the contract's reasons never quote the secret
        }
        return new Found(new Credentials(pair.user(), pair.password()));
    }

    private static Bad bad(Path auth, String why) {
        return new Bad("credentials file " + auth.getFileName() + " " + why + "; nothing is sent to its port");
    }
}
