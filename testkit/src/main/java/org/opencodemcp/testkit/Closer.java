package org.opencodemcp.testkit;

/** Test teardown: closes everything given, in order, skipping nulls, and reports the first failure after trying all. */
public final class Closer {
    private Closer() {}

    public static void closeAll(AutoCloseable... resources) {
        Exception first = null;
        for (AutoCloseable r : resources) {
            if (r == null) {
                continue;
            }
            try {
                r.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw new IllegalStateException("teardown failed: " + first, first);
        }
    }
}
