package org.opencodemcp.testkit;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The environment of an opencode-mcp server that a test or the bench starts as a process: its own
 * registry directory and its own jobs database. Without {@code JOBS_DB} the server would write every
 * test prompt into the account's {@code ~/.local/state/opencode-mcp/jobs.db}; every launch of the
 * server jar goes through here so none forgets it. The databases' folders are deleted when the JVM exits.
 */
public final class ServerEnvironment {
    public static final String REGISTRY = "RELAY_REGISTRY_DIR";
    public static final String JOBS_DB = "JOBS_DB";
    private static final List<Path> CREATED = new CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> CREATED.forEach(TempDirs::deleteRecursively), "jobs-db-cleanup"));
    }

    private ServerEnvironment() {}

    /** {@code RELAY_REGISTRY_DIR=registry} and a fresh {@code JOBS_DB}; a mutable map to add to. */
    public static Map<String, String> of(Path registry) {
        Map<String, String> env = new HashMap<>();
        env.put(REGISTRY, registry.toString());
        return withOwnJobs(env);
    }

    /** Adds a fresh {@code JOBS_DB} unless {@code env} names one (a test that shares a ledger across restarts). */
    public static Map<String, String> withOwnJobs(Map<String, String> env) {
        if (!env.containsKey(JOBS_DB)) {
            env.put(JOBS_DB, newJobsDb().toString());
        }
        return env;
    }

    /** A jobs database path in a new temp folder of its own (the file is made by the server). */
    public static Path newJobsDb() {
        Path dir = TempDirs.create("jobs-");
        CREATED.add(dir);
        return dir.resolve("jobs.db");
    }

    /** Sets {@code pb}'s registry and a fresh jobs database (over what it inherited); returns {@code pb}. */
    public static ProcessBuilder apply(ProcessBuilder pb, Path registry) {
        pb.environment().remove(JOBS_DB);
        pb.environment().putAll(of(registry));
        return pb;
    }
}
