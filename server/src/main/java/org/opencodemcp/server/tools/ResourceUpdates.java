package org.opencodemcp.server.tools;

import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.opencodemcp.server.instance.Instance;
import org.opencodemcp.server.instance.InstanceView;
import org.opencodemcp.server.opencode.EventListener;
import org.opencodemcp.server.opencode.OpenCodeEvent;
import org.opencodemcp.server.registry.InstanceRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends {@code notifications/resources/updated} when a resource's content changes, at most once per
 * resource per second. The SDK keeps who subscribed to what (and forgets a session's subscriptions when
 * it unsubscribes or goes away) and sends only to subscribers.
 *
 * <p>Only while someone holds a subscription (else it costs a boolean check per tick). Live state
 * only, no network: every {@link #TICK_MS} the registry snapshot is compared with the
 * last one (the fleet's content, and each instance's row); session resources change when the
 * instance's event stream says something about that session. A change that comes within a second of
 * the last notification for the same resource waits for the second to pass (one notification for
 * the lot). Bounded: the maps hold at most one entry per registered instance, and at most
 * {@link #MAX_PENDING} resources wait at once.
 *
 * <p>Its state lives on the one thread of the {@code timer} it is given (shared with {@link FleetLog}).
 */
public final class ResourceUpdates implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ResourceUpdates.class);
    static final long TICK_MS = 100;
    static final long MIN_GAP_MS = 1000;
    static final int MAX_PENDING = 10_000;

    private final InstanceRegistry registry;
    private final ResourceSet resources;
    private final McpSyncServer mcp;
    private final ScheduledExecutorService timer;
    private ScheduledFuture<?> ticks;
    private final BooleanSupplier subscribed;
    private long seenVersion = -1;
    private String fleetContent;
    private Map<String, Map<String, Object>> rows = new HashMap<>();
    /** each instance's event subscription, so that each session's activity marks its resource */
    private final InstanceListeners listening = new InstanceListeners(this::sessionChanges);
    private final Set<String> pending = new LinkedHashSet<>();
    private final Map<String, Long> lastSent = new HashMap<>();

    /**
     * @param subscribed whether anyone holds a subscription now; with none, nothing is compared or listened to
     * @param timer a single-thread scheduler, owned by the caller (closing this only stops its own ticks)
     */
    public ResourceUpdates(InstanceRegistry registry, ResourceSet resources, McpSyncServer mcp, BooleanSupplier subscribed,
            ScheduledExecutorService timer) {
        this.registry = registry;
        this.subscribed = subscribed;
        this.resources = resources;
        this.mcp = mcp;
        this.timer = timer;
    }

    public synchronized ResourceUpdates start() {
        ticks = timer.scheduleWithFixedDelay(this::tick, 0, TICK_MS, TimeUnit.MILLISECONDS);
        return this;
    }

    private void tick() {
        try {
            if (!subscribed.getAsBoolean()) {
                idle();
                return;
            }
            InstanceRegistry.Snapshot snapshot = registry.snapshot();
            if (snapshot.version() != seenVersion) {
                boolean baseline = seenVersion == -1;
                seenVersion = snapshot.version();
                compare(snapshot, baseline);
                listening.follow(registry.instances());
            }
            flush(System.nanoTime() / 1_000_000);
        } catch (RuntimeException e) {
            LOG.warn("resource updates: {}", e.toString());
        }
    }

    /** Marks the fleet and every instance whose row changed (or appeared, or went away). */
    private void compare(InstanceRegistry.Snapshot snapshot, boolean baseline) {
        String fleet = resources.fleetJson();
        if (fleetContent != null && !fleet.equals(fleetContent)) {
            mark(ResourceSet.FLEET);
        }
        fleetContent = fleet;
        Map<String, Map<String, Object>> now = new HashMap<>();
        for (InstanceView v : snapshot.instances()) {
            now.put(v.name(), InstanceListing.row(v));
        }
        Set<String> names = new HashSet<>(now.keySet());
        names.addAll(rows.keySet());
        for (String name : baseline ? Set.<String>of() : names) {
            if (!Objects.equals(now.get(name), rows.get(name))) {
                mark(ResourceSet.instanceUri(name));
            }
        }
        rows = now;
    }

    /** Marks a session's resource when the instance's event stream says something about that session. */
    private EventListener sessionChanges(Instance k) {
        return new EventListener() {
            @Override
            public void onEvent(OpenCodeEvent event) {
                String session = event.sessionId();
                if (session != null && (event.type().startsWith("message.") || event.type().startsWith("session."))) {
                    timer.execute(() -> mark(ResourceSet.sessionUri(k.name(), session)));
                }
            }
        };
    }

    private void mark(String uri) {
        if (pending.size() < MAX_PENDING) {
            pending.add(uri);
        }
    }

    /** Sends what waits and is allowed (a second after the resource's last notification). */
    private void flush(long nowMs) {
        lastSent.values().removeIf(at -> nowMs - at >= MIN_GAP_MS * 2);
        var it = pending.iterator();
        while (it.hasNext()) {
            String uri = it.next();
            Long last = lastSent.get(uri);
            if (last != null && nowMs - last < MIN_GAP_MS) {
                continue;
            }
            it.remove();
            lastSent.put(uri, nowMs);
            try {
                mcp.notifyResourcesUpdated(new McpSchema.ResourcesUpdatedNotification(uri));
            } catch (RuntimeException e) {
                LOG.debug("notifying {}: {}", uri, e.toString());
            }
        }
    }

    /** No subscriber: forget the baseline and stop listening, so that a fleet nobody watches costs nothing. */
    private void idle() {
        if (seenVersion == -1) {
            return;
        }
        seenVersion = -1;
        fleetContent = null;
        rows = new HashMap<>();
        pending.clear();
        listening.closeAll();
    }

    @Override
    public synchronized void close() {
        if (ticks != null) {
            ticks.cancel(false);
        }
        listening.closeAll();
    }
}
