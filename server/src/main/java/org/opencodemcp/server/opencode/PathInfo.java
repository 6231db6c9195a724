package org.opencodemcp.server.opencode;

/** Answer of {@code GET /path}: where the OpenCode server runs, used to check its identity. */
public record PathInfo(String directory, String worktree) {}
