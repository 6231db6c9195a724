package org.opencodemcp.contract;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Where registrations live and how their files are named (plans/registration.md): one
 * {@code <name>.json} per instance in the registry directory, its secret in {@code <name>.auth}
 * beside it, and hidden temp files ({@code .<file>.tmp-<random>}) that readers never look at.
 */
public final class RegistryFiles {
    /** The registry directory when neither an option nor RELAY_REGISTRY_DIR names one. */
    public static final String DEFAULT_DIRECTORY = "/tmp/opencode-relay";
    /** The environment variable both programs read the registry directory from. */
    public static final String DIRECTORY_ENV = "RELAY_REGISTRY_DIR";
    /** A registration is a few hundred bytes; a file over this is not one (and must not eat memory). */
    public static final int MAX_REGISTRATION_BYTES = 64 * 1024;

    public static final String JSON_SUFFIX = ".json";
    public static final String AUTH_SUFFIX = ".auth";

    private RegistryFiles() {}

    /** {@code <name>.json}. */
    public static String registrationFileName(String name) {
        return name + JSON_SUFFIX;
    }

    /** {@code <name>.auth}: the secret beside {@code <name>.json}; not a registration. */
    public static String authFileName(String name) {
        return name + AUTH_SUFFIX;
    }

    /**
     * Whether a directory entry is a registration to read: {@code *.json}, not hidden (temp files start
     * with '.'), at most 255 characters, and no control or line-separator character (a file name is
     * printed in logs and tool output, so one with a newline in it is not even looked at).
     */
    public static boolean isRegistrationFileName(String fileName) {
        return isVisible(fileName, JSON_SUFFIX);
    }

    /** Whether a directory entry is a {@code <name>.auth} secret file (same visibility rule as registrations). */
    public static boolean isAuthFileName(String fileName) {
        return isVisible(fileName, AUTH_SUFFIX);
    }

    /** {@code <name>.json} for {@code <name>.auth}, and the other way round. */
    public static String sibling(String fileName, String fromSuffix, String toSuffix) {
        String stem = fileName.endsWith(fromSuffix) ? fileName.substring(0, fileName.length() - fromSuffix.length()) : fileName;
        return stem + toSuffix;
    }

    /** The temp file name for an atomic write of {@code fileName}: hidden (leading dot), so readers skip it. */
    public static String tempName(String fileName) {
        return "." + fileName + ".tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    }

    private static boolean isVisible(String n, String suffix) {
        return n.endsWith(suffix) && !n.startsWith(".") && n.length() > suffix.length() && n.length() <= 255
                && n.chars().noneMatch(c -> Character.isISOControl(c) || c == '\u2028' || c == '\u2029');
    }
}
