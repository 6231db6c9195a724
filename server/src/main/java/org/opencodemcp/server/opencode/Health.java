package org.opencodemcp.server.opencode;

/** Answer of {@code GET /global/health}. */
public record Health(boolean healthy, String version) {}
