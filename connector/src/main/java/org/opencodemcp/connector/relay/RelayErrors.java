package org.opencodemcp.connector.relay;

import com.jcraft.jsch.JSchChangedHostKeyException;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.JSchUnknownHostKeyException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Path;

/** Turns JSch's terse exceptions into messages that say what is wrong and how to fix it. */
final class RelayErrors {

    private RelayErrors() {}

    static RelayException explain(JSchException e, String user, String host, int port, Path knownHosts) {
        String where = user + "@" + host + ":" + port;
        String hostArg = port == 22 ? host : "[" + host + "]:" + port;
        if (e instanceof JSchUnknownHostKeyException) {
            return new RelayException("The relay " + host + ":" + port + " presented a host key that is not in "
                    + knownHosts + " (" + firstLine(e) + "). Check the fingerprint with the relay's admin, then trust it "
                    + "once: ssh-keyscan -p " + port + " " + host + " >> " + knownHosts
                    + "  (or log in once with: ssh -p " + port + " " + user + "@" + host + ")", true, e);
        }
        if (e instanceof JSchChangedHostKeyException) {
            return new RelayException("The relay " + host + ":" + port + " presented a DIFFERENT host key than the one in "
                    + knownHosts + ". Someone may be intercepting the connection. If the relay was reinstalled, remove "
                    + "the old key with: ssh-keygen -f " + knownHosts + " -R '" + hostArg + "' and trust the new one.",
                    true, e);
        }
        String msg = e.getMessage() == null ? "" : e.getMessage();
        if (msg.startsWith("Auth fail") || msg.startsWith("Auth cancel") || msg.contains("USERAUTH fail")) {
            return new RelayException("The relay refused the login as " + where + ". Give the right key with -i / "
                    + "--identity or load it into ssh-agent, and check that its public key is in ~" + user
                    + "/.ssh/authorized_keys on the relay.", true, e);
        }
        Throwable cause = e.getCause();
        if (cause instanceof UnknownHostException) {
            return new RelayException("Cannot resolve the relay host name '" + host + "' (" + where + "); check the "
                    + "name or your network.", false, e);
        }
        if (cause instanceof ConnectException || cause instanceof NoRouteToHostException) {
            return new RelayException("Cannot connect to the relay " + where + " (" + cause.getMessage()
                    + "); is sshd running there and the port right?", false, e);
        }
        if (cause instanceof SocketTimeoutException || msg.contains("timeout")) {
            return new RelayException("The relay " + where + " did not answer in time (" + msg + ").", false, e);
        }
        return new RelayException("SSH to the relay " + where + " failed: " + msg, false, e);
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).trim();
    }
}
