package org.opencodemcp.server.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;

/** Writes registration files the way a connector does: temp file + atomic rename. */
public final class Registrations {
    private Registrations() {}

    public static String json(String name, int port, String cwd) {
        return json(name, port, cwd, null);
    }

    public static String json(String name, int port, String cwd, Instant heartbeatAt) {
        return "{\"name\":\"" + name + "\",\"hostname\":\"testhost\",\"port\":" + port + ",\"localPort\":" + port
                + ",\"cwd\":\"" + cwd + "\",\"connectedAt\":\"" + Instant.now().toString() + "\""
                + (heartbeatAt == null ? "" : ",\"heartbeatAt\":\"" + heartbeatAt + "\"") + "}";
    }

    public static Path write(Path dir, String name, int port, String cwd) {
        return writeRaw(dir, name + ".json", json(name, port, cwd));
    }

    public static Path writeRaw(Path dir, String fileName, String content) {
        try {
            Path tmp = Files.createTempFile(dir, ".reg", ".tmp");
            Files.writeString(tmp, content);
            return Files.move(tmp, dir.resolve(fileName), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
