package org.opencodemcp.server.registry;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.opencodemcp.server.opencode.Credentials;

/**
 * The per-instance secret beside a registration (contract: /plans/registration.md, "Credentials"):
 * {@code <name>.auth} next to {@code <name>.json}, one line {@code USERNAME:PASSWORD}, at most 1 KiB,
 * owned by this account with no group/other permission bits. Its pair is sent only to the port of
 * the registration of the same name; a bad file makes that instance invalid and nothing is sent.
 */
public final class AuthFile {
    public static final int MAX_BYTES = 1024;
    private static final String SUFFIX = ".auth";

    private AuthFile() {}

    /** What the registry knows about an instance's credentials. */
    public sealed interface Result permits Absent, Found, Bad {}

    /** No {@code .auth}: the server-wide OPENCODE_SERVER_PASSWORD (if any) applies, as before the contract. */
    public record Absent() implements Result {}

    public record Found(Credentials credentials) implements Result {}

    /** Present but not to be used; the reason names the file and never quotes its content. */
    public record Bad(String reason) implements Result {}

    public static boolean isAuthFile(Path file) {
        String n = file.getFileName().toString();
        return n.endsWith(SUFFIX) && !n.startsWith(".") && n.length() > SUFFIX.length();
    }

    /** {@code <dir>/<name>.auth} for {@code <dir>/<name>.json}. */
    public static Path beside(Path registration) {
        String n = registration.getFileName().toString();
        String stem = n.endsWith(".json") ? n.substring(0, n.length() - ".json".length()) : n;
        return registration.resolveSibling(stem + SUFFIX);
    }

    /** {@code <dir>/<name>.json} for {@code <dir>/<name>.auth}. */
    public static Path registrationFor(Path auth) {
        String n = auth.getFileName().toString();
        return auth.resolveSibling(n.substring(0, n.length() - SUFFIX.length()) + ".json");
    }

    /** Reads the credentials of the registration {@code registration}, read afresh on every probe. */
    public static Result read(Path registration) {
        Path auth = beside(registration);
        RegistryFile.Read read = RegistryFile.read(auth, MAX_BYTES, FileTrust.GROUP_OTHER_ANY);
        if (read instanceof RegistryFile.Gone) {
            return new Absent();
        }
        if (read instanceof RegistryFile.Problem p) {
            return new Bad("credentials file " + auth.getFileName() + " " + p.reason() + "; nothing is sent to its port");
        }
        byte[] bytes = ((RegistryFile.Content) read).bytes();
        String line;
        try {
            line = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return bad(auth, "is not UTF-8 text");
        }
        if (line.endsWith("\r\n")) {
            line = line.substring(0, line.length() - 2);
        } else if (line.endsWith("\n")) {
            line = line.substring(0, line.length() - 1);
        }
        int colon = line.indexOf(':');
        if (colon <= 0 || colon == line.length() - 1) {
            return bad(auth, "is not one line USERNAME:PASSWORD");
        }
        if (line.chars().anyMatch(Character::isISOControl)) {
            return bad(auth, "holds more than one line or control characters (expected one line USERNAME:PASSWORD)");
        }
        return new Found(new Credentials(line.substring(0, colon), line.substring(colon + 1)));
    }

    private static Bad bad(Path auth, String why) {
        return new Bad("credentials file " + auth.getFileName() + " " + why + "; nothing is sent to its port");
    }
}
