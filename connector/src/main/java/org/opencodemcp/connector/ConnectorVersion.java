package org.opencodemcp.connector;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Name and version of this program, read once from the Maven-filtered {@code connector.properties}. */
public record ConnectorVersion(String name, String version) {

    private static final ConnectorVersion CURRENT = load();

    public static ConnectorVersion current() {
        return CURRENT;
    }

    private static ConnectorVersion load() {
        Properties p = new Properties();
        try (InputStream in = ConnectorVersion.class.getResourceAsStream("/connector.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // a missing version must never stop the program; "unknown" is shown instead
        }
        String version = p.getProperty("version", "unknown");
        if (version.startsWith("${")) {
            version = "dev"; // running from an IDE without resource filtering
        }
        return new ConnectorVersion(p.getProperty("name", "opencode-connected"), version);
    }
}
