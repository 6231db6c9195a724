package org.opencodemcp.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's class cache with more than one jar: each jar's hash is remembered in a file named after
 * the jar (with its path), so a second jar in the same directory, older than the first one's hash file,
 * gets a cache made for its own bytes, never the first one's.
 */
class LauncherCacheIT {
    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void twoJarsInOneDirectoryEachGetTheirOwnHashAndCache() throws Exception {
        Path release = unpack();
        Path jars = Files.createDirectories(tmp.resolve("jars"));
        Path a = Files.copy(release.resolve("lib/opencode-mcp.jar"), jars.resolve("a.jar"));
        Path b = withExtraEntry(a, jars.resolve("b.jar"));
        // both older than any hash file the launcher will write: only the hash file's name and contents
        // can tell them apart, not the "jar newer than its hash" rule
        FileTime hourAgo = FileTime.from(Instant.now().minusSeconds(3600));
        Files.setLastModifiedTime(a, hourAgo);
        Files.setLastModifiedTime(b, hourAgo);

        String cacheA = cacheNote(release, a, Map.of());
        assertThat(cacheA).contains(jars.resolve("a-" + sha256(a).substring(0, 16)).toString());
        String cacheB = cacheNote(release, b, Map.of());
        assertThat(cacheB).contains(jars.resolve("b-" + sha256(b).substring(0, 16)).toString());
        assertThat(Files.readString(jars.resolve("a.jar.sha256"))).startsWith(sha256(a) + " " + a);
        assertThat(Files.readString(jars.resolve("b.jar.sha256"))).startsWith(sha256(b) + " " + b);

        // again: each finds its own remembered hash and cache
        assertThat(cacheNote(release, a, Map.of())).isEqualTo(cacheA);
        assertThat(cacheNote(release, b, Map.of())).isEqualTo(cacheB);
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void aJarOfTheSameNameElsewhereSharingTheCacheDirectoryIsHashedAgain() throws Exception {
        Path release = unpack();
        Path cacheDir = Files.createDirectories(tmp.resolve("cache"));
        Path first = Files.copy(release.resolve("lib/opencode-mcp.jar"), Files.createDirectories(tmp.resolve("one")).resolve("server.jar"));
        Path second = withExtraEntry(first, Files.createDirectories(tmp.resolve("two")).resolve("server.jar"));
        FileTime hourAgo = FileTime.from(Instant.now().minusSeconds(3600));
        Files.setLastModifiedTime(first, hourAgo);
        Files.setLastModifiedTime(second, hourAgo);
        Map<String, String> shared = Map.of("OPENCODE_MCP_CDS_DIR", cacheDir.toString());

        assertThat(cacheNote(release, first, shared)).contains(cacheDir.resolve("server-" + sha256(first).substring(0, 16)).toString());
        assertThat(cacheNote(release, second, shared)).contains(cacheDir.resolve("server-" + sha256(second).substring(0, 16)).toString());
        assertThat(Files.readString(cacheDir.resolve("server.jar.sha256"))).startsWith(sha256(second) + " " + second);
    }

    /** The "class cache:" line of {@code opencode-mcp --version} run on {@code jar}. */
    private String cacheNote(Path release, Path jar, Map<String, String> extra) throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        Map<String, String> env = new java.util.HashMap<>(ReleaseInstallIT.userEnv(home));
        env.put("OPENCODE_MCP_JAR", jar.toString());
        env.putAll(extra);
        var r = Processes.run(home, env, 120, List.of(release.resolve("bin/opencode-mcp").toString(), "--version"));
        assertThat(r.exitCode()).as(r.both()).isZero();
        return r.out().lines().filter(l -> l.startsWith("class cache:")).findFirst().orElseThrow(() -> new AssertionError(r.both()));
    }

    private Path unpack() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("download"));
        var r = Processes.run(dir, Map.of(), 60, List.of("tar", "-xzf", ReleaseInstallIT.TARBALL.toString()));
        assertThat(r.exitCode()).as(r.both()).isZero();
        return dir.resolve("opencode-mcp-" + ReleaseInstallIT.VERSION);
    }

    /** The same jar with one more entry: other bytes, still runnable. */
    private static Path withExtraEntry(Path jar, Path to) throws Exception {
        try (ZipFile in = new ZipFile(jar.toFile()); OutputStream file = Files.newOutputStream(to);
                ZipOutputStream out = new ZipOutputStream(file)) {
            for (ZipEntry e : java.util.Collections.list(in.entries())) {
                out.putNextEntry(new ZipEntry(e.getName()));
                try (InputStream data = in.getInputStream(e)) {
                    data.transferTo(out);
                }
                out.closeEntry();
            }
            out.putNextEntry(new ZipEntry("launcher-cache-it.txt"));
            out.write("another build".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return to;
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
