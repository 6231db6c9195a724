package org.opencodemcp.server.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.util.Objects;
import org.opencodemcp.contract.Registration;
import org.opencodemcp.server.config.Settings;
import org.opencodemcp.server.opencode.Credentials;
import org.opencodemcp.server.opencode.OpenCodeClient;

/**
 * Chooses, before each probe, the credentials one instance is reached with: its own {@code <name>.auth}
 * when present (read afresh, so a rewritten file is picked up), else the server-wide
 * OPENCODE_SERVER_PASSWORD. The client holding them talks only to that registration's port, so an
 * instance's secret never goes to a port another registration names.
 */
final class InstanceCredentials {
    private InstanceCredentials() {}

    /** The client to use, or why nothing may be sent to this instance. */
    record Choice(OpenCodeClient client, String problem) {}

    static Choice choose(LiveInstance e, Registration reg, HttpClient http, ObjectMapper json, Settings settings) {
        AuthFile.Result auth = AuthFile.read(e.file());
        if (auth instanceof AuthFile.Bad bad) {
            return new Choice(null, bad.reason());
        }
        Credentials credentials = auth instanceof AuthFile.Found found ? found.credentials() : settings.credentials();
        OpenCodeClient current = e.client();
        if (current != null && current.port() == reg.port() && Objects.equals(current.credentials(), credentials)) {
            return new Choice(current, null);
        }
        OpenCodeClient fresh = new OpenCodeClient(http, json, reg.port(), credentials, settings.requestTimeout());
        e.useClient(fresh);
        return new Choice(fresh, null);
    }
}
