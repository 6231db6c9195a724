package org.opencodemcp.connector.registry;

import java.nio.file.Path;
import java.util.regex.Pattern;

/** Instance names: {@code [A-Za-z0-9._-]{1,64}}, also the registration file's base name. */
public final class InstanceName {

    public static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private InstanceName() {}

    /** {@code <hostname>-<basename cwd>} with every other character replaced by {@code -}, cut to 64. */
    public static String derive(String hostname, String cwd) {
        Path base = Path.of(cwd).getFileName();
        String raw = hostname + "-" + (base == null ? "root" : base.toString());
        String clean = raw.replaceAll("[^A-Za-z0-9._-]", "-");
        if (clean.length() > 64) {
            clean = clean.substring(0, 64);
        }
        // a name made only of dots would make a hidden or special file name ("..json" is fine, ".json" is not)
        return clean.startsWith(".") ? "-" + clean.substring(1) : clean;
    }

    public static String requireValid(String name) {
        if (name == null || !VALID.matcher(name).matches()) {
            throw new IllegalArgumentException("instance name '" + name + "' is not valid: use 1-64 of A-Z a-z 0-9 . _ -"
                    + " (set it with --name or INSTANCE_NAME)");
        }
        if (name.startsWith(".")) {
            throw new IllegalArgumentException("instance name '" + name + "' must not start with '.': registry readers "
                    + "skip hidden files");
        }
        return name;
    }
}
