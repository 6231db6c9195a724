package org.opencodemcp.server.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.opencodemcp.testkit.TempDirs;

/**
 * An HTTP listener on 127.0.0.1 run by another account (uid {@link Ownership#OTHER_UID}, through
 * {@code setpriv}): a relay co-tenant who took a tunnel port. It answers like a healthy OpenCode for
 * any directory and records every request line and header it receives.
 */
public final class ForeignListener implements AutoCloseable {
    private static final String SOURCE = """
            import java.io.*;
            import java.net.*;
            import java.nio.charset.StandardCharsets;
            public class Thief {
                public static void main(String[] a) throws Exception {
                    ServerSocket s = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
                    System.out.println("PORT " + s.getLocalPort());
                    System.out.flush();
                    while (true) {
                        Socket c = s.accept();
                        new Thread(() -> serve(c)).start();
                    }
                }
                static void serve(Socket c) {
                    try (c) {
                        BufferedReader r = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.ISO_8859_1));
                        for (String line; (line = r.readLine()) != null; ) {
                            if (line.isEmpty()) {
                                String body = "{\\"healthy\\":true,\\"version\\":\\"thief\\",\\"directory\\":\\"/work/alice\\",\\"worktree\\":\\"/work/alice\\"}";
                                c.getOutputStream().write(("HTTP/1.1 200 OK\\r\\nContent-Type: application/json\\r\\nContent-Length: "
                                        + body.length() + "\\r\\n\\r\\n" + body).getBytes(StandardCharsets.ISO_8859_1));
                                c.getOutputStream().flush();
                                continue;
                            }
                            synchronized (System.out) {
                                System.out.println("REQ " + line);
                                System.out.flush();
                            }
                        }
                    } catch (IOException e) {
                        // client gone
                    }
                }
            }
            """;

    private final Process process;
    private final Path dir;
    private final int port;
    private final List<String> received = new CopyOnWriteArrayList<>();

    private ForeignListener(Process process, Path dir) throws Exception {
        this.process = process;
        this.dir = dir;
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("PORT ")) {
                        port.complete(Integer.parseInt(line.substring(5)));
                    } else if (line.startsWith("REQ ")) {
                        received.add(line.substring(4));
                    }
                }
            } catch (IOException e) {
                // process gone
            }
            port.completeExceptionally(new IllegalStateException("the foreign listener exited"));
        }, "foreign-listener");
        reader.setDaemon(true);
        reader.start();
        this.port = port.get(30, TimeUnit.SECONDS);
    }

    /** Starts it as uid {@link Ownership#OTHER_UID}; needs root (see {@link Ownership#assumeCanChown()}). */
    public static ForeignListener start() {
        try {
            Path dir = TempDirs.create("thief-");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path src = dir.resolve("Thief.java");
            Files.writeString(src, SOURCE);
            Files.setPosixFilePermissions(src, PosixFilePermissions.fromString("rw-r--r--"));
            String uid = String.valueOf(Ownership.OTHER_UID);
            Process p = new ProcessBuilder("setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups",
                    McpStdioServer.javaBinary(), "-XX:-UsePerfData", "-Xshare:off", src.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).directory(dir.toFile()).start();
            return new ForeignListener(p, dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start a listener as uid " + Ownership.OTHER_UID, e);
        }
    }

    public int port() {
        return port;
    }

    /** Every request and header line received, in order. */
    public List<String> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        TempDirs.deleteRecursively(dir);
    }
}
