package org.opencodemcp.connector;

/** Entry point of opencode-connected (placeholder while the connector is built). */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.err.println("opencode-connected: not built yet");
    }
}
