package org.opencodemcp.connector.relay;

import com.jcraft.jsch.Channel;
import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.opencodemcp.connector.opencode.HttpReply;
import org.opencodemcp.connector.opencode.MiniHttp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One logged-in SSH session to the relay and the three things the connector does with it. */
public final class RelaySession implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RelaySession.class);

    /** JSch itself waits up to 10 s for the tcpip-forward reply; a little more so its own answer wins. */
    private static final Duration FORWARD_TIMEOUT = Duration.ofSeconds(12);

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
     * <p>The request runs on a throwaway thread. JSch's session thread answers a tcpip-forward reply by
     * calling {@code interrupt()} on the thread that asked (Session.run, SSH_MSG_REQUEST_SUCCESS/FAILURE),
     * and when the reply is quick (a relay on loopback) the asker has already read it and left, so the
     * interrupt lands later, on whatever the asker waits for next: an SFTP read, a sleep. On a thread of
     * its own that stray interrupt hits nobody who cares.
     *
     * @return the port the relay allocated
     */
    public int reverseForward(int localPort) throws RelayException {
        return reverseForward(localPort, FORWARD_TIMEOUT);
    }

    /** {@link #reverseForward(int)} with its own bound on the wait for the relay's answer. */
    public int reverseForward(int localPort, Duration timeout) throws RelayException {
        String spec = "127.0.0.1:0:127.0.0.1:" + localPort;
        CompletableFuture<Integer> reply = new CompletableFuture<>();
        Thread asker = new Thread(() -> {
            try {
                reply.complete(session.setPortForwardingR(spec));
            } catch (Throwable t) {
                reply.completeExceptionally(t);
            }
        }, "opencode-connected-forward-request");
        asker.setDaemon(true);
        asker.start();
        int allocated;
        try {
            allocated = reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // ours, not JSch's: the link decides what it means
            throw new RelayException("Interrupted while waiting for the relay " + description
                    + " to open the reverse tunnel", false, e);
        } catch (TimeoutException e) {
            throw new RelayException("The relay " + description + " did not answer the reverse tunnel request in "
                    + timeout.toSeconds() + " s; reconnecting", false, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (!session.isConnected()) {
                throw new RelayException("The SSH session to the relay " + description + " dropped while opening the "
                        + "reverse tunnel (" + cause.getMessage() + "); reconnecting", false, cause);
            }
            throw new RelayException("The relay " + description + " refused the reverse tunnel (" + cause.getMessage()
                    + "). Its sshd must allow it: AllowTcpForwarding yes (or remote) in sshd_config.", false, cause);
        }
        if (allocated <= 0 || allocated > 65_535) {
            // JSch 2.28.8 publishes the reply before the allocated port (the same quick-reply race), so now and
            // then it returns 0, or bytes of another packet (1207400672 seen in CI), and has registered the
            // forward under that number too. The forward is unusable; a fresh session (the caller reconnects)
            // is the only clean way out. Going on would check a tunnel that cannot exist for 10 s.
            throw new RelayException("The relay " + description + " allocated a tunnel port but JSch lost it "
                    + "(returned " + allocated + "); reconnecting", false, null);
        }
        LOG.info("relay {} forwards its 127.0.0.1:{} to local port {}", description, allocated, localPort);
        return allocated;
    }

    /** An open SFTP channel; the caller disconnects it. */
    public ChannelSftp sftp() throws RelayException {
        try {
            ChannelSftp sftp = (ChannelSftp) session.openChannel("sftp");
            sftp.connect((int) Duration.ofSeconds(15).toMillis());
            return sftp;
        } catch (JSchException e) {
            if (interrupted(e)) {
                // JSch reports an interrupted wait as a failed channel: nothing to do with the relay's settings
                Thread.currentThread().interrupt();
                throw new RelayException("Interrupted while opening SFTP to the relay " + description
                        + "; reconnecting", false, e);
            }
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

    /** Whether this thread was interrupted or the failure came from an interrupted wait; clears nothing. */
    private static boolean interrupted(Throwable e) {
        if (Thread.currentThread().isInterrupted()) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException || t instanceof InterruptedIOException) {
                return true;
            }
        }
        return false;
    }

    public boolean isConnected() {
        return session.isConnected();
    }

    /** The relay's host name or address as this session reached it (after ~/.ssh/config's HostName). */
    public String host() {
        return session.getHost();
    }

    public String description() {
        return description;
    }

    @Override
    public void close() {
        session.disconnect();
    }
}
