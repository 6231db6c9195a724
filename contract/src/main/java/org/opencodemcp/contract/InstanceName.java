package org.opencodemcp.contract;

import java.util.regex.Pattern;

/**
 * The instance name rule: 1-64 of {@code A-Z a-z 0-9 . _ -}, not starting with '.'. The name is also
 * the registration's file base name ({@code <name>.json}), so a leading dot would make a hidden file
 * that readers skip, and "." / ".." would name directories.
 */
public final class InstanceName {
    public static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    public static final int MAX_LENGTH = 64;

    private InstanceName() {}

    /** Why {@code name} is not a valid instance name, or null if it is. */
    public static String problem(String name) {
        if (name == null) {
            return "name is missing";
        }
        if (!VALID.matcher(name).matches()) {
            return "name \"" + clip(SafeText.log(name)) + "\" must match [A-Za-z0-9._-]{1,64}"
                    + (name.contains("/") || name.contains("..") ? " (no path separators or \"..\")" : "");
        }
        if (name.startsWith(".")) {
            return "name \"" + name + "\" must not start with '.' (its file would be hidden, and readers skip hidden files)";
        }
        return null;
    }

    /** {@code <hostname>-<basename cwd>} with every other character replaced by {@code -}, cut to 64, no leading dot. */
    public static String derive(String hostname, String cwd) {
        String trimmed = cwd.replaceAll("[/\\\\]+$", "");
        String base = trimmed.substring(Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\')) + 1);
        if (base.isEmpty() || base.matches("[A-Za-z]:")) {
            base = "root";
        }
        String clean = (hostname + "-" + base).replaceAll("[^A-Za-z0-9._-]", "-");
        if (clean.length() > MAX_LENGTH) {
            clean = clean.substring(0, MAX_LENGTH);
        }
        return clean.startsWith(".") ? "-" + clean.substring(1) : clean;
    }

    static String clip(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
