package org.opencodemcp.server.tools.session;

import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.opencodemcp.server.instance.Instance;
import org.opencodemcp.server.instance.InstanceMatcher;
import org.opencodemcp.server.instance.InstanceState;
import org.opencodemcp.server.opencode.SessionStatus;
import org.opencodemcp.server.registry.InstanceRegistry;
import org.opencodemcp.contract.SafeText;
import org.opencodemcp.server.tools.InstanceLookup;
import org.opencodemcp.server.tools.McpTool;
import org.opencodemcp.server.tools.Times;
import org.opencodemcp.server.tools.ToolArgs;
import org.opencodemcp.server.tools.ToolError;
import org.opencodemcp.server.tools.ToolResults;

/**
 * {@code fleet_status}: across every online instance, what waits on a person (permissions, questions) and
 * which sessions are busy or retrying, the longest waiting first, each with the exact next call. Answered from
 * live state only: no network call, so it stays fast at hundreds of instances.
 */
final class FleetStatusTool implements McpTool {
    /** More rows than this are counted, not listed. */
    static final int MAX_ITEMS = 200;

    private final InstanceRegistry registry;
    private final Clock clock;

    FleetStatusTool(InstanceRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    static final String OUTPUT = """
            {"type":"object","required":["items","waiting","working","online"],"properties":{
             "waiting":{"type":"integer","description":"permissions and questions waiting on a person"},
             "working":{"type":"integer","description":"sessions busy or retrying"},
             "online":{"type":"integer"},"omitted":{"type":"integer"},
             "items":{"type":"array","items":{"type":"object","required":["kind","instance","since","next"],"properties":{
              "kind":{"type":"string","enum":["permission","question","busy","retry","idle"]},
              "instance":{"type":"string"},"sessionId":{"type":"string"},"sessionTitle":{"type":"string"},
              "since":{"type":"string"},"waitingSeconds":{"type":"integer"},"doing":{"type":"string"},
              "todoProgress":{"type":"string"},"next":{"type":"string","description":"the exact call to make next"},
              "permission":%s,"question":%s}}},
             "unavailable":{"type":"array","items":{"type":"object","properties":{
              "instance":{"type":"string"},"state":{"type":"string"},"since":{"type":"string"},"reason":{"type":"string"}}}}}}
            """.formatted(SessionSchemas.PERMISSION, SessionSchemas.QUESTION);

    @Override
    public McpSchema.Tool definition() {
        return SessionSchemas.tool("fleet_status", "What the fleet is doing and what waits on you",
                        "One look at every online instance: pending permission requests and questions (the longest "
                                + "waiting first), then sessions that are busy or retrying, each with instance, session, what "
                                + "it is doing (running tool, last text, retry), since when, todo progress and the exact "
                                + "next call (reply_permission, reply_question, get_session). Unreachable instances are "
                                + "listed at the end. Answered from live state: instant, no calls to the instances.",
                        "{\"type\":\"object\",\"properties\":{" + InstanceLookup.INSTANCE_PROPERTY
                                + ",\"include_idle\":{\"type\":\"boolean\",\"default\":false,"
                                + "\"description\":\"Also list idle sessions seen lately (with their todos and last text)\"}}}",
                        OUTPUT)
                .annotations(SessionSchemas.readOnly()).build();
    }

    @Override
    public McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        ToolArgs args = new ToolArgs(request.arguments());
        boolean includeIdle = args.bool("include_idle", false);
        List<Instance> instances = registry.instances();
        String only = args.string("instance");
        if (only != null && !only.isBlank()) {
            InstanceMatcher.Match match = InstanceMatcher.resolve(only, instances);
            if (!match.found()) {
                throw new ToolError(match.error());
            }
            instances = List.of(match.instance());
        }
        return answer(instances, includeIdle, clock.instant());
    }

    /**
     * fleet_status's structured content for the {@code opencode://fleet} resource, without each item's
     * {@code waitingSeconds}: it grows every second, so a subscriber would hear of a "change" every
     * second while nothing changed.
     */
    static Map<String, Object> forResource(List<Instance> instances, Instant now) {
        @SuppressWarnings("unchecked")
        Map<String, Object> whole = (Map<String, Object>) answer(instances, false, now).structuredContent();
        Map<String, Object> out = ToolResults.object();
        out.putAll(whole);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> items = (List<Map<String, Object>>) whole.get("items");
        out.put("items", items.stream().map(item -> {
            Map<String, Object> copy = ToolResults.object();
            copy.putAll(item);
            copy.remove("waitingSeconds");
            return copy;
        }).toList());
        return out;
    }

    /** The whole answer from live state; public to the package for the benchmark and tests. */
    static McpSchema.CallToolResult answer(List<Instance> instances, boolean includeIdle, Instant now) {
        List<FleetItems> items = new ArrayList<>();
        List<Map<String, Object>> unavailable = new ArrayList<>();
        int online = 0;
        for (Instance i : instances) {
            if (i.state() == InstanceState.ONLINE) {
                online++;
                items.addAll(FleetItems.of(i, includeIdle));
            } else {
                Map<String, Object> u = ToolResults.object();
                u.put("instance", i.name());
                u.put("state", i.state().label());
                u.put("since", Times.iso(i.since()));
                u.put("reason", i.reason() == null ? null : SafeText.markdown(i.reason()));
                unavailable.add(u);
            }
        }
        items.sort(FleetItems.LONGEST_WAITING_FIRST);
        int waiting = (int) items.stream().filter(it -> FleetItems.isWait(it.kind())).count();
        int working = (int) items.stream().filter(it -> !FleetItems.isWait(it.kind()) && !SessionStatus.IDLE.equals(it.kind())).count();
        int omitted = Math.max(0, items.size() - MAX_ITEMS);
        List<FleetItems> shown = items.subList(0, Math.min(items.size(), MAX_ITEMS));

        StringBuilder md = new StringBuilder("**Fleet:** ").append(waiting == 0 ? "nothing waits on you" : waiting + " waiting on you")
                .append(", ").append(working).append(" session(s) working; ").append(online).append(" instance(s) online")
                .append(unavailable.isEmpty() ? "" : ", " + unavailable.size() + " unavailable").append(".\n");
        int n = 1;
        for (FleetItems it : shown) {
            md.append('\n').append(it.markdown(n++, now));
        }
        if (omitted > 0) {
            md.append("\n\n").append(omitted).append(" more not listed; narrow with `instance`.");
        }
        if (!unavailable.isEmpty()) {
            md.append("\n\nUnavailable:");
            for (Map<String, Object> u : unavailable) {
                md.append("\n- ").append(u.get("instance")).append(": ").append(u.get("state")).append(" since ").append(u.get("since"))
                        .append(u.get("reason") == null ? "" : " (" + u.get("reason") + ")");
            }
            md.append("\nCall `refresh_instances` to re-check them.");
        }
        Map<String, Object> out = ToolResults.object();
        out.put("waiting", waiting);
        out.put("working", working);
        out.put("online", online);
        out.put("omitted", omitted == 0 ? null : omitted);
        out.put("items", shown.stream().map(it -> it.structured(now)).toList());
        out.put("unavailable", unavailable);
        return ToolResults.success(md.toString(), out);
    }
}
