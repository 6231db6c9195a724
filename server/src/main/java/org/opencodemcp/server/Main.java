package org.opencodemcp.server;

/** Entry point of the opencode-mcp server (placeholder while the foundation is built). */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.err.println("opencode-mcp: not built yet");
    }
}
