package org.opencodemcp.connector.relay;

import com.jcraft.jsch.Channel;
import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Optional;
import org.opencodemcp.connector.opencode.HttpReply;
import org.opencodemcp.connector.opencode.MiniHttp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One logged-in SSH session to the relay and the three things the connector does with it. */
public final class RelaySession implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RelaySession.class);

    private final Session session;
    private final String description;

    RelaySession(Session session, String description) {
        this.session = session;
        this.description = description;
    }

    /**
     * Asks the relay to listen on a port of its own choosing (remote port 0) on its loopback and to
     * send the connections through this session to {@code 127.0.0.1:localPort} here.
     *
     * @return the port the relay allocated
     */
    public int reverseForward(int localPort) throws RelayException {
        try {
            int allocated = session.setPortForwardingR("127.0.0.1:0:127.0.0.1:" + localPort);
            if (allocated <= 0) {
                // JSch 2.28.8 publishes the reply before the allocated port (a race in Session.run), so now and
                // then it returns 0 and has registered the forward under port 0 too. The forward is unusable;
                // a fresh session (the caller reconnects) is the only clean way out.
                throw new RelayException("The relay " + description + " allocated a tunnel port but JSch lost it "
                        + "(returned " + allocated + "); reconnecting", false, null);
            }
            LOG.info("relay {} forwards its 127.0.0.1:{} to local port {}", description, allocated, localPort);
            return allocated;
        } catch (JSchException e) {
            throw new RelayException("The relay " + description + " refused the reverse tunnel (" + e.getMessage()
                    + "). Its sshd must allow it: AllowTcpForwarding yes (or remote) in sshd_config.", false, e);
        }
    }

    /** An open SFTP channel; the caller disconnects it. */
    public ChannelSftp sftp() throws RelayException {
        try {
            ChannelSftp sftp = (ChannelSftp) session.openChannel("sftp");
            sftp.connect((int) Duration.ofSeconds(15).toMillis());
            return sftp;
        } catch (JSchException e) {
            if (!session.isConnected()) {
                // the session dropped under us (tunnel down): not a relay setting, the link reconnects
                throw new RelayException("The SSH session to the relay " + description + " dropped while opening SFTP ("
                        + e.getMessage() + "); reconnecting", false, e);
            }
            throw new RelayException("The relay " + description + " did not open SFTP (" + e.getMessage() + "). Its "
                    + "sshd needs 'Subsystem sftp' (OpenSSH: internal-sftp or sftp-server).",
                    true, e); // connected but refused: a relay setting, retrying will not help
        }
    }

    /**
     * GET {@code path} from {@code 127.0.0.1:relayPort} as seen from the relay, through a direct-tcpip
     * channel of this session. Aimed at the tunnel's own port this is a full round trip: here, relay,
     * back through the reverse forward, opencode, and back.
     */
    public HttpReply get(int relayPort, String path, Optional<String> authorization, Duration timeout)
            throws IOException {
        Channel channel;
        try {
            channel = session.getStreamForwarder("127.0.0.1", relayPort);
        } catch (JSchException e) {
            throw new IOException("cannot open a channel to the relay: " + e.getMessage(), e);
        }
        // a read on an SSH channel has no timeout of its own; closing the channel ends a hung read
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(timeout.toMillis());
                LOG.debug("round trip to relay port {} took longer than {}", relayPort, timeout);
                channel.disconnect();
            } catch (InterruptedException done) {
                // finished in time
            }
        }, "opencode-connected-probe-watchdog");
        watchdog.setDaemon(true);
        try {
            InputStream in = channel.getInputStream();
            OutputStream out = channel.getOutputStream();
            watchdog.start();
            channel.connect((int) Math.max(1, timeout.toMillis()));
            return MiniHttp.exchange(in, out, path, authorization);
        } catch (JSchException e) {
            throw new IOException("the relay did not open a channel to its 127.0.0.1:" + relayPort + " ("
                    + e.getMessage() + ")", e);
        } finally {
            watchdog.interrupt();
            channel.disconnect();
        }
    }

    public boolean isConnected() {
        return session.isConnected();
    }

    public String description() {
        return description;
    }

    @Override
    public void close() {
        session.disconnect();
    }
}
