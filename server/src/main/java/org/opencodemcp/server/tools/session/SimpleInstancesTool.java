package org.opencodemcp.server.tools.session;

import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.opencodemcp.server.instance.Instance;
import org.opencodemcp.server.instance.InstanceView;
import org.opencodemcp.server.instance.LiveSession;
import org.opencodemcp.server.opencode.SessionApi;
import org.opencodemcp.server.opencode.SessionInfo;
import org.opencodemcp.server.registry.InstanceRegistry;
import org.opencodemcp.contract.SafeText;
import org.opencodemcp.server.threads.DaemonThreads;
import org.opencodemcp.server.tools.McpTool;
import org.opencodemcp.server.tools.Schemas;
import org.opencodemcp.server.tools.ToolResults;

/**
 * {@code instances} (simple profile): every instance in two lines, from live state, with the title of
 * each online instance's most recent session. That title comes from the sessions the event stream has
 * seen; only for an instance whose stream has shown none yet is it asked for, in parallel under one
 * short deadline (an instance that does not answer in time is listed without one).
 */
final class SimpleInstancesTool implements McpTool {
    /** The whole call waits at most this long for session titles. */
    static final long TITLE_DEADLINE_MS = 2000;
    private static final ExecutorService TITLES = Executors.newFixedThreadPool(8, DaemonThreads.numbered("instances-title"));

    private final InstanceRegistry registry;

    SimpleInstancesTool(InstanceRegistry registry) {
        this.registry = registry;
    }

    @Override
    public McpSchema.Tool definition() {
        return McpSchema.Tool.builder("instances", Schemas.noInput()).title("List OpenCode instances")
                .description("List the connected OpenCode instances: name, host and directory, state, idle or busy, the "
                        + "most recent session's title and the version. Call it to see which machines can be driven.")
                .outputSchema(Schemas.parse("""
                        {"type":"object","required":["instances"],"properties":{"instances":{"type":"array","items":
                         {"type":"object","required":["name","state"],"properties":{
                          "name":{"type":"string"},"hostname":{"type":"string"},"cwd":{"type":"string"},
                          "state":{"type":"string"},"busy":{"type":"boolean"},"recentSession":{"type":"string"},
                          "version":{"type":"string"}}}}}}
                        """))
                .annotations(new McpSchema.ToolAnnotations(null, true, false, true, false, false))
                .build();
    }

    @Override
    public McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        List<InstanceView> views = registry.snapshot().instances();
        Map<String, String> titles = titles(views);
        Map<String, Object> out = ToolResults.object();
        List<Map<String, Object>> rows = new ArrayList<>();
        if (views.isEmpty()) {
            out.put("instances", rows);
            return ToolResults.success("No OpenCode instances are connected.\n\nRun `opencode-connected` on a machine to"
                    + " connect one.", out);
        }
        StringBuilder md = new StringBuilder();
        for (InstanceView v : views) {
            String title = titles.get(v.file());
            boolean busy = v.online() && v.busySessions() > 0;
            md.append("**").append(SafeText.markdown(v.name())).append("** (").append(SafeText.markdown(v.hostname()))
                    .append(':').append(SafeText.markdown(v.cwd())).append(")\n  ").append(v.state().label());
            if (v.online()) {
                md.append(" | ").append(busy ? "busy" : "idle");
                if (title != null) {
                    md.append(" — \"").append(SafeText.markdown(title)).append('"');
                }
            }
            md.append(" | v").append(v.version() == null ? "unknown" : SafeText.markdown(v.version())).append('\n');
            Map<String, Object> row = ToolResults.object();
            row.put("name", v.name());
            row.put("hostname", v.hostname());
            row.put("cwd", v.cwd());
            row.put("state", v.state().label());
            row.put("busy", v.online() ? busy : null);
            row.put("recentSession", title);
            row.put("version", v.version());
            rows.add(row);
        }
        out.put("instances", rows);
        return ToolResults.success(md.toString().stripTrailing(), out);
    }

    /** The most recently updated top-level session the instance's event stream has reported, or null. */
    private static SessionInfo liveMostRecent(Instance i) {
        SessionInfo best = null;
        for (LiveSession s : i.activity().sessions()) {
            SessionInfo info = s.info();
            if (info != null && info.isRoot() && (best == null || info.updated() > best.updated())) {
                best = info;
            }
        }
        return best;
    }

    /** file name -> most recent session title, for the online instances that answered in time. */
    private Map<String, String> titles(List<InstanceView> views) {
        Map<String, Instance> live = new HashMap<>();
        registry.instances().forEach(i -> live.put(i.fileName(), i));
        Map<String, CompletableFuture<String>> asked = new HashMap<>();
        Map<String, String> titles = new HashMap<>();
        for (InstanceView v : views) {
            Instance i = live.get(v.file());
            SessionInfo seen = i == null ? null : liveMostRecent(i);
            if (seen != null) {
                if (seen.title() != null) {
                    titles.put(v.file(), seen.title());
                }
            } else if (v.online() && i != null && i.client() != null) {
                asked.put(v.file(), CompletableFuture.supplyAsync(() -> {
                    SessionInfo s = SessionMatcher.mostRecent(new SessionApi(i.client()).list());
                    return s == null ? null : s.title();
                }, TITLES));
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TITLE_DEADLINE_MS);
        asked.forEach((file, f) -> {
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                String title = f.get(left, TimeUnit.NANOSECONDS);
                if (title != null) {
                    titles.put(file, title);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                f.cancel(false); // no title for this one: unreachable, slow or refused
            }
        });
        return titles;
    }
}
