package org.opencodemcp.connector.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A network namespace of the test's own, joined to this one by a veth pair on a private /30
 * ({@code 10.213.K.1} here, {@code 10.213.K.2} inside): a "remote" host with a non-loopback address,
 * for a relay whose public side must be checked. Needs root and {@code ip} (iproute2, installed by
 * scripts/test); under CI=true their absence fails the test, elsewhere it is skipped. {@link #close()}
 * deletes the namespace, which also deletes the veth pair.
 */
public final class NetNamespace implements AutoCloseable {

    private static final String INSTALL = "apt-get install -y iproute2 (scripts/test does it), and run as root";

    private final String name;
    private final String hostSide;
    private final int subnet;

    private NetNamespace(String name, String hostSide, int subnet) {
        this.name = name;
        this.hostSide = hostSide;
        this.subnet = subnet;
    }

    public static void requireSupport() {
        boolean ip = Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip"))
                || Files.isExecutable(Path.of("/usr/bin/ip"));
        boolean root = "root".equals(System.getProperty("user.name"));
        if ((!ip || !root) && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("network namespaces need 'ip' and root under CI=true: " + INSTALL);
        }
        Assumptions.assumeTrue(ip && root, "network namespaces need 'ip' and root: " + INSTALL);
    }

    /** Creates the namespace and the veth pair with a random /30 in 10.213.0.0/16; cleans up if any step fails. */
    public static NetNamespace create() {
        requireSupport();
        int tag = ThreadLocalRandom.current().nextInt(100_000, 1_000_000);
        int subnet = ThreadLocalRandom.current().nextInt(0, 256);
        NetNamespace ns = new NetNamespace("ocm-test-" + tag, "ocmh" + tag, subnet);
        String inside = "ocmr" + tag;
        try {
            run("ip", "netns", "add", ns.name);
            run("ip", "link", "add", ns.hostSide, "type", "veth", "peer", "name", inside);
            run("ip", "link", "set", inside, "netns", ns.name);
            run("ip", "addr", "add", ns.hostAddress() + "/30", "dev", ns.hostSide);
            run("ip", "link", "set", ns.hostSide, "up");
            ns.inside("ip", "addr", "add", ns.address() + "/30", "dev", inside);
            ns.inside("ip", "link", "set", inside, "up");
            ns.inside("ip", "link", "set", "lo", "up");
            return ns;
        } catch (RuntimeException | Error e) {
            ns.close();
            throw e;
        }
    }

    /** The namespace's own address (where its sshd listens). */
    public String address() {
        return "10.213." + subnet + ".2";
    }

    /** This side's address on the veth pair. */
    public String hostAddress() {
        return "10.213." + subnet + ".1";
    }

    /** The words that run a command inside: {@code ip netns exec NAME}. */
    public List<String> prefix() {
        return List.of("ip", "netns", "exec", name);
    }

    private void inside(String... argv) {
        List<String> all = new ArrayList<>(prefix());
        all.addAll(List.of(argv));
        run(all.toArray(String[]::new));
    }

    @Override
    public void close() {
        quiet("ip", "netns", "del", name);
        quiet("ip", "link", "del", hostSide); // normally gone with the namespace
    }

    private static void run(String... argv) {
        String out = attempt(argv);
        if (out != null) {
            throw new AssertionError(String.join(" ", argv) + " failed: " + out);
        }
    }

    private static void quiet(String... argv) {
        attempt(argv);
    }

    /** @return null on success, else the output */
    private static String attempt(String... argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "timed out";
            }
            return p.exitValue() == 0 ? null : out.trim();
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
