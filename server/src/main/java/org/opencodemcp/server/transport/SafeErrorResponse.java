package org.opencodemcp.server.transport;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Keeps error details inside the server: {@code sendError} and bodies written after a 4xx/5xx status
 * are replaced by a short JSON-RPC error ({@link JsonErrors}). Successful responses, including the
 * streaming SSE ones, pass through untouched.
 */
final class SafeErrorResponse extends HttpServletResponseWrapper {
    private int errorStatus;
    private ByteArrayOutputStream captured;
    private PrintWriter capturedWriter;
    private ServletOutputStream capturedStream;
    private boolean done;

    SafeErrorResponse(HttpServletResponse response) {
        super(response);
    }

    @Override
    public void setStatus(int sc) {
        super.setStatus(sc);
        if (sc >= 400 && !isCommitted()) {
            errorStatus = sc;
        }
    }

    @Override
    public void sendError(int sc) throws IOException {
        sendError(sc, null);
    }

    @Override
    public void sendError(int sc, String msg) throws IOException {
        if (isCommitted()) {
            return;
        }
        String message = msg == null || msg.isBlank() ? JsonErrors.defaultMessage(sc) : msg;
        if (sc >= 500) {
            message = JsonErrors.defaultMessage(sc) + (msg == null || msg.isBlank() ? "" : ": " + msg);
        }
        done = true;
        JsonErrors.write((HttpServletResponse) getResponse(), sc, message);
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        if (errorStatus == 0 || done) {
            return super.getWriter();
        }
        if (capturedWriter == null) {
            capturedWriter = new PrintWriter(new OutputStreamWriter(buffer(), StandardCharsets.UTF_8), false) {
                @Override
                public void flush() {
                    super.flush();
                    finish();
                }

                @Override
                public void close() {
                    super.flush();
                    finish();
                }
            };
        }
        return capturedWriter;
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        if (errorStatus == 0 || done) {
            return super.getOutputStream();
        }
        if (capturedStream == null) {
            ByteArrayOutputStream target = buffer();
            capturedStream = new ServletOutputStream() {
                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener writeListener) {
                    throw new UnsupportedOperationException("error bodies are written synchronously");
                }

                @Override
                public void write(int b) {
                    target.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    target.write(b, off, len);
                }

                @Override
                public void close() {
                    finish();
                }
            };
        }
        return capturedStream;
    }

    @Override
    public void setContentLength(int len) {
        if (errorStatus == 0) {
            super.setContentLength(len);
        }
    }

    @Override
    public void setContentLengthLong(long len) {
        if (errorStatus == 0) {
            super.setContentLengthLong(len);
        }
    }

    private ByteArrayOutputStream buffer() {
        if (captured == null) {
            captured = new ByteArrayOutputStream();
        }
        return captured;
    }

    /** Writes the sanitized body of a captured error once; called on flush/close and after the chain. */
    synchronized void finish() {
        if (done || captured == null || errorStatus == 0) {
            return;
        }
        done = true;
        if (capturedWriter != null) {
            capturedWriter.flush();
        }
        byte[] body = JsonErrors.sanitize(errorStatus, captured.toByteArray());
        HttpServletResponse real = (HttpServletResponse) getResponse();
        if (real.isCommitted()) {
            return;
        }
        try {
            real.resetBuffer();
            real.setStatus(errorStatus);
            real.setContentType("application/json");
            real.setCharacterEncoding("UTF-8");
            real.setContentLength(body.length);
            real.getOutputStream().write(body);
            real.flushBuffer();
        } catch (IOException | IllegalStateException e) {
            // client gone; nothing to tell it
        }
    }
}
