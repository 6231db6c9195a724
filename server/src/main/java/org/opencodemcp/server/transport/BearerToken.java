package org.opencodemcp.server.transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The secret every {@code /mcp} request must present as {@code Authorization: Bearer <token>}. Only
 * a SHA-256 digest is kept; comparison hashes the presented value too and uses
 * {@link MessageDigest#isEqual}, so neither the content nor the length leaks through timing.
 */
public final class BearerToken {
    public static final int MIN_LENGTH = 16;
    /** How to make one, shown whenever a token is missing or unusable. */
    public static final String HOW_TO_CREATE = """
            Create one and keep it private, e.g.:
              mkdir -p ~/.config/opencode-mcp && (umask 077; openssl rand -hex 32 > ~/.config/opencode-mcp/token)
            then start with --token-file ~/.config/opencode-mcp/token (or MCP_BEARER_TOKEN_FILE=...,
            or MCP_BEARER_TOKEN=<the token>), and give clients the header 'Authorization: Bearer <the token>'.""";
    private static final Logger LOG = LoggerFactory.getLogger(BearerToken.class);

    private final byte[] digest;

    private BearerToken(byte[] digest) {
        this.digest = digest;
    }

    /** Validates {@code token} (where it came from is named in errors by {@code source}). */
    public static BearerToken of(String token, String source) {
        String t = token == null ? "" : token.strip();
        if (t.isEmpty()) {
            throw new HttpConfigException(source + " is empty.\n" + HOW_TO_CREATE);
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw new HttpConfigException(source + " must be printable ASCII without spaces (it travels in an HTTP header).\n"
                        + HOW_TO_CREATE);
            }
        }
        if (t.length() < MIN_LENGTH) {
            throw new HttpConfigException(source + " is too short (" + t.length() + " characters; at least " + MIN_LENGTH
                    + " are required).\n" + HOW_TO_CREATE);
        }
        return new BearerToken(sha256(t));
    }

    /** Reads the first line of {@code file}; warns when others may read it. */
    public static BearerToken fromFile(Path file) {
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new HttpConfigException("cannot read the token file " + file + ": " + e + "\n" + HOW_TO_CREATE);
        }
        warnIfShared(file);
        String firstLine = content.strip().lines().findFirst().orElse("");
        return of(firstLine, "the token file " + file);
    }

    /** True when {@code authorization} is {@code Bearer <this token>} (scheme case-insensitive). */
    public boolean accepts(String authorization) {
        if (authorization == null) {
            return false;
        }
        String a = authorization.strip();
        if (a.length() < 7 || !a.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            return false;
        }
        return MessageDigest.isEqual(digest, sha256(a.substring(7).strip()));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static void warnIfShared(Path file) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            boolean shared = perms.contains(PosixFilePermission.OTHERS_READ) || perms.contains(PosixFilePermission.GROUP_READ)
                    && !PrivateGroup.isOwn((Integer) Files.getAttribute(file, "unix:gid"));
            if (shared) {
                LOG.warn("token file {} is readable by other users; chmod 600 it", file);
            }
        } catch (IOException | RuntimeException e) {
            // not POSIX or not readable: nothing to say
        }
    }

    @Override
    public String toString() {
        return "BearerToken[redacted]";
    }
}
