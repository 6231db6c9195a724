package org.opencodemcp.server.tools;

import java.util.Map;

/** Typed access to a tool call's arguments (the SDK has already validated them against the input schema). */
public final class ToolArgs {
    private final Map<String, Object> args;

    public ToolArgs(Map<String, Object> args) {
        this.args = args == null ? Map.of() : args;
    }

    public String string(String name) {
        Object v = args.get(name);
        return v == null ? null : v.toString();
    }

    public String requiredString(String name) {
        String v = string(name);
        if (v == null || v.isBlank()) {
            throw new ToolError("Missing argument `" + name + "`.");
        }
        return v;
    }

    public boolean bool(String name, boolean fallback) {
        Object v = args.get(name);
        if (v instanceof Boolean b) {
            return b;
        }
        return v == null ? fallback : Boolean.parseBoolean(v.toString());
    }

    public int integer(String name, int fallback) {
        Object v = args.get(name);
        if (v instanceof Number n) {
            return n.intValue();
        }
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new ToolError("Argument `" + name + "` must be a whole number, got \"" + v + "\".");
        }
    }
}
