package org.opencodemcp.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the pinned real opencode binary. Tests never skip when it is missing: they fail and say how to
 * install it, because a test that silently does not run proves nothing.
 */
public final class OpenCodeBinary {
    /** Kept in step with {@code opencode.version} in the parent pom, which surefire/failsafe pass in. */
    public static final String DEFAULT_VERSION = "1.18.33";

    private OpenCodeBinary() {}

    /** The opencode version the tests expect ({@code -Dopencode.version}, else {@link #DEFAULT_VERSION}). */
    public static String version() {
        String v = System.getProperty("opencode.version");
        return v == null || v.isBlank() ? DEFAULT_VERSION : v.trim();
    }

    /**
     * The binary: {@code -Dopencode.bin}, else env {@code OPENCODE_BIN}, else the cache that
     * {@code scripts/install-opencode} fills. An explicit setting that points nowhere is an error,
     * not a reason to fall back to something else.
     */
    public static Path locate() {
        String explicit = System.getProperty("opencode.bin");
        String source = "system property opencode.bin";
        if (explicit == null || explicit.isBlank()) {
            explicit = System.getenv("OPENCODE_BIN");
            source = "env OPENCODE_BIN";
        }
        if (explicit != null && !explicit.isBlank()) {
            Path path = Path.of(explicit.trim());
            if (Files.isRegularFile(path) && Files.isExecutable(path)) {
                return path;
            }
            throw new IllegalStateException(source + " points to " + path
                    + ", which is not an executable file. " + howToInstall());
        }
        List<Path> tried = new ArrayList<>();
        for (String platform : List.of("opencode-linux-x64", "opencode-linux-x64-baseline")) {
            Path candidate = cacheDir().resolve("node_modules").resolve(platform).resolve("bin").resolve("opencode");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
            tried.add(candidate);
        }
        throw new IllegalStateException("The opencode " + version() + " binary was not found (looked at "
                + tried + "). " + howToInstall());
    }

    /**
     * The older releases every test run also drives ({@code -Dopencode.compat.versions}, a comma list
     * the parent pom passes in): people's machines run different OpenCode versions.
     */
    public static List<String> compatVersions() {
        String v = System.getProperty("opencode.compat.versions", "1.2.27,1.14.41");
        return java.util.Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** The binary of one given release, from the cache that {@code scripts/install-opencode VERSION} fills. */
    public static Path locate(String version) {
        if (version.equals(version())) {
            return locate();
        }
        List<Path> tried = new ArrayList<>();
        for (String platform : List.of("opencode-linux-x64", "opencode-linux-x64-baseline")) {
            Path candidate = cacheDir(version).resolve("node_modules").resolve(platform).resolve("bin").resolve("opencode");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
            tried.add(candidate);
        }
        throw new IllegalStateException("The opencode " + version + " binary was not found (looked at " + tried
                + "). Install it with: scripts/install-opencode " + version + " (run from the repository root; scripts/test does).");
    }

    /** {@code ${OPENCODE_MCP_CACHE:-~/.cache/opencode-mcp}/opencode-ai-<version>}, as scripts/install-opencode uses. */
    static Path cacheDir() {
        return cacheDir(version());
    }

    static Path cacheDir(String version) {
        String root = System.getenv("OPENCODE_MCP_CACHE");
        Path base = root == null || root.isBlank()
                ? Path.of(System.getProperty("user.home"), ".cache", "opencode-mcp")
                : Path.of(root);
        return base.resolve("opencode-ai-" + version);
    }

    private static String howToInstall() {
        return "Install it with: scripts/install-opencode (run from the repository root; it needs npm and puts "
                + "opencode-ai@" + version() + " into ${OPENCODE_MCP_CACHE:-~/.cache/opencode-mcp}), "
                + "or point -Dopencode.bin / OPENCODE_BIN at an opencode " + version() + " binary.";
    }
}
