package org.opencodemcp.server.instance;

import java.nio.file.Path;
import java.time.Instant;
import org.opencodemcp.contract.Registration;
import org.opencodemcp.server.opencode.EventListener;
import org.opencodemcp.server.opencode.OpenCodeClient;

/**
 * One registry entry as the tools and the jobs see it: read-only. The registry's one thread changes
 * the entry (its state, target, client and stream); each read returns the latest value written, so two
 * reads may see two moments. A caller that needs one consistent picture takes {@link #view()}.
 */
public interface Instance {
    /** The registration file. */
    Path file();

    String fileName();

    /** The instance name: from the file when valid, else the file name without {@code .json}. */
    String name();

    /** The parsed registration, or null while the file is invalid. */
    Registration registration();

    InstanceState state();

    /** Why the entry is not online, or null. */
    String reason();

    /** When the current state began. */
    Instant since();

    /** Two files claim this entry's name: neither is routed to. */
    boolean duplicate();

    /** The OpenCode client; only meaningful while {@link #state()} is ONLINE (null otherwise). */
    OpenCodeClient client();

    /** Its sessions' live state, kept current by the event stream. */
    SessionActivity activity();

    /**
     * Adds a listener to this instance's one shared event stream until the returned handle is closed.
     * Events arrive on an HTTP client thread; listeners must not block.
     */
    AutoCloseable subscribe(EventListener listener);

    /** The newest of the heartbeat field and the file's modification time: the writer's last sign of life. */
    Instant lastSignOfLife();

    /** An immutable snapshot of the entry, as {@code list_instances} shows it. */
    InstanceView view();
}
