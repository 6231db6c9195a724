package org.opencodemcp.server.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * The jobs ledger's settings, resolved by {@link ServerOptions} (option, then environment, then the defaults here).
 *
 * @param database  JOBS_DB / --jobs-db: the SQLite file, or null for {@code :memory:} (nothing written to disk)
 * @param keepDays  JOBS_KEEP_DAYS: jobs created longer ago are deleted at start and daily
 * @param storeText JOBS_STORE_TEXT: false keeps ids, states and figures only (no prompt, answer, titles or paths)
 */
public record JobSettings(Path database, int keepDays, boolean storeText) {
    public static final String MEMORY = ":memory:";
    public static final int DEFAULT_KEEP_DAYS = 30;
    public static final boolean DEFAULT_STORE_TEXT = true;

    /** {@code ${XDG_STATE_HOME:-~/.local/state}/opencode-mcp/jobs.db}. */
    public static Path defaultDatabase(Map<String, String> env) {
        String state = env.get(EnvVars.XDG_STATE_HOME);
        Path base = state != null && !state.isBlank() && Path.of(state).isAbsolute() ? Path.of(state)
                : Path.of(System.getProperty("user.home"), ".local", "state");
        return base.resolve("opencode-mcp").resolve("jobs.db");
    }

    /**
     * @param db JOBS_DB as given: empty for the default, {@code :memory:} for none
     */
    public static JobSettings of(String db, long keepDays, String storeText, Map<String, String> env) {
        if (keepDays <= 0 || keepDays > 36_500) {
            throw new IllegalArgumentException("JOBS_KEEP_DAYS must be between 1 and 36500, got " + keepDays);
        }
        boolean text;
        String t = storeText == null ? "true" : storeText.trim();
        if (t.equalsIgnoreCase("true") || t.isEmpty()) {
            text = true;
        } else if (t.equalsIgnoreCase("false")) {
            text = false;
        } else {
            throw new IllegalArgumentException("JOBS_STORE_TEXT must be true or false, got '" + storeText + "'");
        }
        Path file;
        if (db == null || db.isBlank()) {
            file = defaultDatabase(env);
        } else if (db.trim().equals(MEMORY)) {
            file = null;
        } else {
            file = Path.of(db.trim()).toAbsolutePath().normalize();
        }
        return new JobSettings(file, (int) keepDays, text);
    }

    public static JobSettings inMemory() {
        return new JobSettings(null, DEFAULT_KEEP_DAYS, true);
    }
}
