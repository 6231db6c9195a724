package org.opencodemcp.connector;

import java.util.Map;
import org.opencodemcp.connector.cli.ConnectCommand;
import org.opencodemcp.connector.run.LogSetup;
import picocli.CommandLine;

/** Entry point of opencode-connected. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        System.exit(execute(args, System.getenv(), true));
    }

    /**
     * Runs the command line and returns the exit code instead of exiting. With {@code processMode} false
     * (tests, embedding) it neither redirects logging to a file nor installs signal handlers.
     *
     * @param env the environment the connector reads (RELAY_SSH_CMD, ...) and hands to opencode
     */
    public static int execute(String[] args, Map<String, String> env, boolean processMode) {
        CommandLine cli = new CommandLine(new ConnectCommand(env, processMode));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            LogSetup.terminal().println("opencode-connected: " + e);
            e.printStackTrace(System.err); // in process mode System.err is the log file
            return 1;
        });
        return cli.execute(args);
    }
}
