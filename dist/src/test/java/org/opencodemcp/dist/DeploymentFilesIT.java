package org.opencodemcp.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployment files as shipped in the tarball: the systemd units pass {@code systemd-analyze verify}
 * (pointing at a real install), the Kubernetes manifests render with {@code kubectl kustomize}, and the
 * Containerfile's build steps run against a temp root (scripts/containerfile-dry-run: the same
 * commands, no container engine) and leave a runnable server there.
 */
class DeploymentFilesIT {
    static final Path REPO = Path.of(System.getProperty("dist.dir")).toAbsolutePath().getParent();

    @TempDir
    Path tmp;
    Path release;

    @BeforeEach
    void unpack() throws Exception {
        var r = Processes.run(tmp, Map.of(), 60, List.of("tar", "-xzf", ReleaseInstallIT.TARBALL.toString()));
        assertThat(r.exitCode()).as(r.both()).isZero();
        release = tmp.resolve("opencode-mcp-" + ReleaseInstallIT.VERSION);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void systemdUnitsVerifyAgainstAnInstalledRelease() throws Exception {
        Path analyze = required("systemd-analyze", "apt-get install systemd");
        // the system unit runs /opt/opencode-mcp/current/bin/opencode-mcp: install there, under a temp root
        Path opt = tmp.resolve("root/opt/opencode-mcp");
        Path home = Files.createDirectories(tmp.resolve("home"));
        Map<String, String> env = ReleaseInstallIT.userEnv(home);
        var sys = Processes.run(release, env, 60, List.of(release.resolve("install").toString(), "--prefix", opt.toString(),
                "--bin-dir", tmp.resolve("root/usr/local/bin").toString()));
        assertThat(sys.exitCode()).as(sys.both()).isZero();
        var user = Processes.run(release, env, 60, List.of(release.resolve("install").toString()));
        assertThat(user.exitCode()).as(user.both()).isZero();

        Path units = Files.createDirectories(tmp.resolve("units"));
        String system = Files.readString(release.resolve("systemd/opencode-mcp.service"))
                .replace("/opt/opencode-mcp/", opt + "/");
        Files.writeString(units.resolve("opencode-mcp.service"), system);
        var verify = Processes.run(units, Map.of(), 60, List.of(analyze.toString(), "verify", "./opencode-mcp.service"));
        assertThat(verify.exitCode()).as(verify.both()).isZero();
        assertThat(verify.err() + verify.out()).as("no warning of any kind").isBlank();

        // the user unit is a template: verify one instance of it, with HOME and a runtime dir of our own
        Files.copy(release.resolve("systemd/opencode-connected@.service"), units.resolve("opencode-connected@src-demo.service"));
        Path runtime = Files.createDirectories(tmp.resolve("run"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        var verifyUser = Processes.run(units, Map.of("HOME", home.toString(), "XDG_RUNTIME_DIR", runtime.toString()), 60,
                List.of(analyze.toString(), "--user", "verify", "./opencode-connected@src-demo.service"));
        assertThat(verifyUser.exitCode()).as(verifyUser.both()).isZero();
        assertThat(verifyUser.err() + verifyUser.out()).as("no warning of any kind").isBlank();

        // and a broken unit is caught (the check is not a no-op)
        Files.writeString(units.resolve("broken.service"), system.replace("ProtectSystem=strict", "ProtectSystem=sometimes"));
        var broken = Processes.run(units, Map.of(), 60, List.of(analyze.toString(), "verify", "./broken.service"));
        assertThat(broken.err()).contains("broken.service:").contains("sometimes");

        assertThat(system).contains("NoNewPrivileges=true", "ProtectSystem=strict", "PrivateTmp=false",
                "LoadCredential=mcp-token:", "MCP_BEARER_TOKEN_FILE=%d/mcp-token", "--http");
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void kubernetesManifestsRender() throws Exception {
        Path kubectl = required("kubectl", "scripts/test installs Debian's kubernetes-client when no kubectl is present");
        var base = Processes.run(tmp, Map.of(), 60, List.of(kubectl.toString(), "kustomize", release.resolve("kubernetes/base").toString()));
        assertThat(base.exitCode()).as(base.both()).isZero();
        assertThat(base.out()).contains("kind: Deployment", "kind: Service", "kind: Secret", "name: opencode-mcp-token",
                "path: /healthz", "path: /readyz", "requests:", "runAsNonRoot: true", "image: localhost/opencode-mcp:");
        var overlay = Processes.run(tmp, Map.of(), 60,
                List.of(kubectl.toString(), "kustomize", release.resolve("kubernetes/overlays/relay-sshd").toString()));
        assertThat(overlay.exitCode()).as(overlay.both()).isZero();
        assertThat(overlay.out()).contains("name: sshd", "/usr/sbin/sshd", "kind: ConfigMap", "GatewayPorts no",
                "name: relay-sshd-keys", "value: /tmp/opencode-relay", "path: /healthz");
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void containerfileStepsRunInATempRootAndLeaveARunnableServer() throws Exception {
        Path root = tmp.resolve("image-root");
        var r = Processes.run(release, Map.of(), 60, List.of(REPO.resolve("scripts/containerfile-dry-run").toString(),
                release.resolve("container/Containerfile").toString(), release.toString(), root.toString()));
        assertThat(r.exitCode()).as(r.both()).isZero();
        assertThat(r.out()).contains("RUN sh").contains("USER 10001").contains("VOLUME").contains("eclipse-temurin");
        Path app = root.resolve("opt/opencode-mcp");
        assertThat(Files.readString(root.resolve("etc/passwd"), StandardCharsets.UTF_8)).contains("opencode:x:10001:10001:");
        Path registry = root.resolve("var/lib/opencode-relay");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(registry))).isEqualTo("rwx------");
        if ("root".equals(System.getProperty("user.name"))) {
            assertThat(Files.getAttribute(registry, "unix:uid")).isEqualTo(10001);
        }
        assertThat(app.resolve("bin/opencode-mcp")).isExecutable();
        assertThat(app.resolve("systemd")).doesNotExist();

        // the image's entry point, run from the temp root with this machine's JRE
        Path cache = Files.createDirectories(tmp.resolve("cache"));
        var version = Processes.run(tmp, Map.of("HOME", tmp.toString(), "OPENCODE_MCP_CDS_DIR", cache.toString()), 60,
                List.of(app.resolve("bin/opencode-mcp").toString(), "--version"));
        assertThat(version.exitCode()).as(version.both()).isZero();
        assertThat(version.out()).contains("opencode-mcp " + ReleaseInstallIT.VERSION);
    }

    /** The tool's path; missing: fails under CI=true (scripts/test installs it), else a visible skip. */
    static Path required(String tool, String howToInstall) {
        Path p = Processes.onPath(tool);
        if (p == null && Files.isExecutable(Path.of("/usr/bin", tool))) {
            p = Path.of("/usr/bin", tool);
        }
        if (p == null) {
            if ("true".equals(System.getenv("CI"))) {
                fail(tool + " is not installed; " + howToInstall);
            }
            Assumptions.abort(tool + " is not installed (" + howToInstall + ")");
        }
        return p;
    }
}
