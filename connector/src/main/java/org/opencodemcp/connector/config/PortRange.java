package org.opencodemcp.connector.config;

/** An inclusive range of local TCP ports, written {@code 4096-5095} on the command line. */
public record PortRange(int first, int last) {

    /** The default as the option writes it (shown by --help). */
    public static final String DEFAULT_TEXT = "4096-5095";
    public static final PortRange DEFAULT = parse(DEFAULT_TEXT);

    public PortRange {
        if (first < 1 || last > 65535 || first > last) {
            throw new IllegalArgumentException("port range must be FIRST-LAST within 1-65535, got " + first + "-" + last);
        }
    }

    public static PortRange parse(String text) {
        String[] parts = text.trim().split("-", -1);
        try {
            if (parts.length == 1) {
                int p = Integer.parseInt(parts[0]);
                return new PortRange(p, p);
            }
            if (parts.length == 2) {
                return new PortRange(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("port range must look like 4096-5095, got '" + text + "'");
    }

    @Override
    public String toString() {
        return first + "-" + last;
    }
}
