package org.opencodemcp.connector.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.forward.AcceptAllForwardingFilter;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.opencodemcp.testkit.SshClientKey;

/**
 * An embedded SSH relay (Apache MINA SSHD) on 127.0.0.1: public-key login for one client key, SFTP on
 * the real file system, TCP forwarding both ways. Its host key lives in {@code dir}, so a restart on
 * the same port presents the same key, like a real relay that reboots.
 */
public final class MinaRelay implements AutoCloseable {

    private final Path dir;
    private final PublicKey clientKey;
    private volatile boolean sftp = true;
    private SshServer server;
    private int port;

    private MinaRelay(Path dir, PublicKey clientKey) {
        this.dir = dir;
        this.clientKey = clientKey;
    }

    /** Starts a relay that accepts {@code client}'s key, on a free port. */
    public static MinaRelay start(Path dir, SshClientKey client) throws Exception {
        PublicKey key = AuthorizedKeyEntry.parseAuthorizedKeyEntry(client.publicLine())
                .resolvePublicKey(null, PublicKeyEntryResolver.FAILING);
        MinaRelay relay = new MinaRelay(dir, key);
        relay.listen(0);
        return relay;
    }

    private void listen(int onPort) throws IOException {
        SshServer s = SshServer.setUpDefaultServer();
        s.setHost("127.0.0.1");
        s.setPort(onPort);
        s.setKeyPairProvider(new SimpleGeneratorHostKeyProvider(dir.resolve("relay-host-key.ser")));
        s.setPublickeyAuthenticator((user, key, session) -> KeyUtils.compareKeys(key, clientKey));
        s.setForwardingFilter(AcceptAllForwardingFilter.INSTANCE);
        s.setSubsystemFactories(sftp ? List.of(new SftpSubsystemFactory()) : List.of());
        s.start();
        server = s;
        port = s.getPort();
    }

    /** Restarts without the SFTP subsystem (or with it again): a relay that logs in but takes no registration. */
    public void restartWithSftp(boolean enabled) throws IOException {
        sftp = enabled;
        restart();
    }

    public int port() {
        return port;
    }

    /** A known_hosts line for this relay, as ssh-keyscan would print it. */
    public String knownHostsLine() throws Exception {
        Iterable<KeyPair> keys = server.getKeyPairProvider().loadKeys(null);
        KeyPair kp = keys.iterator().next();
        return "[127.0.0.1]:" + port + " " + PublicKeyEntry.toString(kp.getPublic());
    }

    /** Writes a known_hosts file that trusts this relay. */
    public Path writeKnownHosts(Path file) throws Exception {
        Files.writeString(file, knownHostsLine() + "\n");
        return file;
    }

    /** Stops the relay: every session and forwarded port goes away, as when the relay host goes down. */
    public void stop() throws IOException {
        if (server != null) {
            server.stop(true);
            server = null;
        }
    }

    /** Starts again on the same port with the same host key. */
    public void restart() throws IOException {
        stop();
        listen(port);
    }

    public boolean isRunning() {
        return server != null && server.isStarted();
    }

    @Override
    public void close() throws IOException {
        stop();
    }
}
