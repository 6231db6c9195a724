package org.opencodemcp.connector.opencode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * A tiny HTTP/1.1 GET over any byte stream: a local socket or an SSH channel through the tunnel.
 * The connector only ever asks two small JSON questions ({@code /global/health}, {@code /path}), so
 * this avoids the JDK HttpClient's selector threads and works the same over both transports.
 */
public final class MiniHttp {

    private static final int MAX_RESPONSE = 1 << 20;

    private MiniHttp() {}

    /** GET {@code path} from {@code 127.0.0.1:port} with connect and read bounded by {@code timeout}. */
    public static HttpReply getLocal(int port, String path, Optional<String> authorization, Duration timeout)
            throws IOException {
        try (Socket socket = new Socket()) {
            int ms = (int) Math.max(1, timeout.toMillis());
            socket.connect(new InetSocketAddress("127.0.0.1", port), ms);
            socket.setSoTimeout(ms);
            return exchange(socket.getInputStream(), socket.getOutputStream(), path, authorization);
        }
    }

    /** Sends the request and reads the whole response (the server closes: {@code Connection: close}). */
    public static HttpReply exchange(InputStream in, OutputStream out, String path, Optional<String> authorization)
            throws IOException {
        StringBuilder request = new StringBuilder()
                .append("GET ").append(path).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1\r\n")
                .append("Accept: application/json\r\n")
                .append("Connection: close\r\n");
        authorization.ifPresent(a -> request.append("Authorization: ").append(a).append("\r\n"));
        request.append("\r\n");
        out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();

        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int headerEnd = -1;
        long contentLength = -1;
        boolean chunked = false;
        for (int n; (n = in.read(buf)) > 0; ) {
            all.write(buf, 0, n);
            if (all.size() > MAX_RESPONSE) {
                throw new IOException("response larger than " + MAX_RESPONSE + " bytes");
            }
            byte[] bytes = all.toByteArray();
            if (headerEnd < 0) {
                headerEnd = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                if (headerEnd >= 0) {
                    String head = new String(bytes, 0, headerEnd, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
                    chunked = head.contains("transfer-encoding: chunked");
                    int cl = head.indexOf("content-length:");
                    if (cl >= 0) {
                        int eol = head.indexOf("\r\n", cl);
                        contentLength = Long.parseLong(head.substring(cl + 15, eol < 0 ? head.length() : eol).trim());
                    }
                }
            }
            // stop as soon as the body is complete: keep-alive servers may ignore "Connection: close"
            if (headerEnd >= 0 && contentLength >= 0 && bytes.length >= headerEnd + 4 + contentLength) {
                break;
            }
            if (headerEnd >= 0 && chunked && endsWith(bytes, "0\r\n\r\n")) {
                break;
            }
        }
        byte[] bytes = all.toByteArray();
        if (headerEnd < 0) {
            throw new IOException("incomplete HTTP response (" + bytes.length + " bytes)");
        }
        String head = new String(bytes, 0, headerEnd, StandardCharsets.ISO_8859_1);
        String[] statusLine = head.split("\r\n", 2)[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP response: " + head.split("\r\n", 2)[0]);
        }
        int status = Integer.parseInt(statusLine[1]);
        byte[] body = java.util.Arrays.copyOfRange(bytes, headerEnd + 4, bytes.length);
        if (chunked) {
            body = dechunk(body);
        } else if (contentLength >= 0 && body.length > contentLength) {
            body = java.util.Arrays.copyOf(body, (int) contentLength);
        }
        return new HttpReply(status, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] dechunk(byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pos = 0;
        while (pos < body.length) {
            int eol = indexOf(body, pos, "\r\n".getBytes(StandardCharsets.US_ASCII));
            if (eol < 0) {
                break;
            }
            String sizeText = new String(body, pos, eol - pos, StandardCharsets.US_ASCII).split(";")[0].trim();
            int size;
            try {
                size = Integer.parseInt(sizeText, 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size '" + sizeText + "'", e);
            }
            if (size == 0) {
                break;
            }
            int start = eol + 2;
            out.write(body, start, Math.min(size, body.length - start));
            pos = start + size + 2;
        }
        return out.toByteArray();
    }

    private static boolean endsWith(byte[] bytes, String suffix) {
        byte[] s = suffix.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length < s.length) {
            return false;
        }
        for (int i = 0; i < s.length; i++) {
            if (bytes[bytes.length - s.length + i] != s[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        return indexOf(hay, 0, needle);
    }

    private static int indexOf(byte[] hay, int from, byte[] needle) {
        outer:
        for (int i = from; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
