package org.opencodemcp.connector.opencode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How to start opencode: {@code opencode --port N --hostname 127.0.0.1 [args]} for the TUI (its HTTP
 * side-car only listens with {@code --port}), or {@code opencode serve ...} when headless.
 *
 * @param binary    the opencode executable (a path, or a name looked up on PATH)
 * @param headless  run {@code opencode serve} instead of the TUI
 * @param args      extra arguments for opencode (after {@code --} on the connector's command line)
 * @param cwd       opencode's working directory, which is also its project
 * @param env       opencode's complete environment
 */
public record OpenCodeCommand(String binary, boolean headless, List<String> args, Path cwd, Map<String, String> env) {

    public OpenCodeCommand {
        args = List.copyOf(args);
        env = Map.copyOf(env);
    }

    public List<String> argv(int port) {
        List<String> argv = new ArrayList<>();
        argv.add(binary);
        if (headless) {
            argv.add("serve");
        }
        argv.add("--port");
        argv.add(Integer.toString(port));
        argv.add("--hostname");
        argv.add("127.0.0.1"); // never on the network: the tunnel is the only way in from outside
        argv.addAll(args);
        return argv;
    }
}
