package org.opencodemcp.connector.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Another ordinary account on this machine, as a co-tenant of the relay would have: created with
 * {@code useradd} for one test, used through {@code runuser -u NAME --}, removed with {@code userdel}.
 * Needs root (CI runs as root): under {@code CI=true} its absence fails the test, elsewhere it skips.
 */
public final class SecondUser implements AutoCloseable {

    private final String name;

    private SecondUser(String name) {
        this.name = name;
    }

    public static SecondUser create() throws IOException, InterruptedException {
        boolean root = "root".equals(System.getProperty("user.name"));
        boolean tools = Files.isExecutable(Path.of("/usr/sbin/useradd")) && Files.isExecutable(Path.of("/usr/sbin/runuser"));
        String why = "a second local account needs root and useradd/runuser (CI runs as root; the passwd and "
                + "util-linux packages)";
        if (!(root && tools) && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(why);
        }
        Assumptions.assumeTrue(root && tools, why);
        String name = "oct" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
        String out = run(List.of("/usr/sbin/useradd", "--no-create-home", "--shell", "/bin/bash", name), 30);
        if (!out.isEmpty() && !out.startsWith("0:")) {
            throw new AssertionError("useradd " + name + " failed: " + out);
        }
        return new SecondUser(name);
    }

    public String name() {
        return name;
    }

    /**
     * {@code GET path} from {@code 127.0.0.1:port} as this account, with bash's /dev/tcp (nothing to
     * install): the status line of the answer, or what went wrong.
     */
    public String httpGet(int port, String path) throws IOException, InterruptedException {
        String script = "exec 3<>/dev/tcp/127.0.0.1/" + port + " || exit 7; printf 'GET " + path
                + " HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nConnection: close\\r\\n\\r\\n' >&3; timeout 10 head -n 1 <&3";
        String out = run(List.of("/usr/sbin/runuser", "-u", name, "--", "/bin/bash", "-c", script), 30);
        return out.substring(out.indexOf(':') + 1).trim();
    }

    /** Exit code, a colon, then the combined output. */
    private static String run(List<String> argv, int seconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(argv)).redirectErrorStream(true).start();
        p.getOutputStream().close();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(argv + " did not finish in " + seconds + " s");
        }
        return p.exitValue() + ":" + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run(List.of("/usr/sbin/userdel", name), 30);
    }
}
