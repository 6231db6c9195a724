package org.opencodemcp.server.tools;

import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.opencodemcp.server.instance.InstanceState;
import org.opencodemcp.server.instance.InstanceView;
import org.opencodemcp.server.registry.InstanceRegistry;
import org.opencodemcp.contract.SafeText;

/** Renders a registry snapshot as the Markdown table and structured content of list/refresh_instances. */
final class InstanceListing {
    static final String OUTPUT_SCHEMA = """
            {"type":"object","required":["registryDir","counts","total","matched","instances"],
             "properties":{
              "registryDir":{"type":"string"},
              "total":{"type":"integer","description":"registrations in the whole registry"},
              "matched":{"type":"integer","description":"registrations that pass the state and query filters"},
              "nextCursor":{"type":"string","description":"pass as cursor for the next page; absent on the last page"},
              "problem":{"type":"string","description":"why the registry directory cannot be read or watched"},
              "counts":{"type":"object","additionalProperties":{"type":"integer"},"description":"per state, whole registry"},
              "instances":{"type":"array","items":{"type":"object","required":["name","state"],
               "properties":{
                "name":{"type":"string"},"file":{"type":"string","description":"registration file, when not <name>.json"},"hostname":{"type":"string"},
                "cwd":{"type":"string"},"port":{"type":"integer"},
                "state":{"type":"string","enum":["probing","online","unreachable","mismatch","invalid"]},
                "version":{"type":"string"},"reason":{"type":"string"},"since":{"type":"string"},
                "failures":{"type":"integer"},"lastSeen":{"type":"string"},"heartbeatAt":{"type":"string"},
                "busySessions":{"type":"integer"},"pendingPermissions":{"type":"integer"},"pendingQuestions":{"type":"integer"},
                "note":{"type":"string","description":"something worth knowing about an online instance, e.g. no live events"}}}}}}
            """;

    static final int DEFAULT_LIMIT = 100;

    static final String INPUT_SCHEMA = """
            {"type":"object","additionalProperties":false,"properties":{
              "state":{"type":"string","enum":["probing","online","unreachable","mismatch","invalid"],
               "description":"only instances in this state"},
              "query":{"type":"string","description":"only instances whose name, host or directory contains this (any case)"},
              "limit":{"type":"integer","minimum":1,"maximum":%d,"default":%d,"description":"rows per page"},
              "cursor":{"type":"string","description":"nextCursor of the previous answer, for the next page"}}}
            """.formatted(Paging.MAX_LIMIT, DEFAULT_LIMIT);

    private InstanceListing() {}

    /** Which rows to show: the filter and page arguments of list_instances and refresh_instances. */
    record Query(String state, String query, int limit, String cursor) {
        static final Query DEFAULT = new Query(null, null, DEFAULT_LIMIT, null);

        static Query of(java.util.Map<String, Object> arguments) {
            ToolArgs args = new ToolArgs(arguments);
            String state = args.string("state");
            String query = args.string("query");
            return new Query(state == null || state.isBlank() ? null : state.strip().toLowerCase(java.util.Locale.ROOT),
                    query == null || query.isBlank() ? null : query,
                    args.integer("limit", DEFAULT_LIMIT), args.string("cursor"));
        }

        boolean filtered() {
            return state != null || query != null;
        }

        boolean accepts(InstanceView v) {
            return (state == null || state.equals(v.state().label())) && Paging.contains(query, v.name(), v.hostname(), v.cwd());
        }
    }

    /** The declaration shared by list_instances and refresh_instances: same input and output, read-only. */
    static McpSchema.Tool tool(String name, String title, String description) {
        return McpSchema.Tool.builder(name, Schemas.parse(INPUT_SCHEMA)).title(title).description(description)
                .outputSchema(Schemas.parse(OUTPUT_SCHEMA))
                .annotations(new McpSchema.ToolAnnotations(null, true, false, true, false, false))
                .build();
    }

    /**
     * The Markdown table and the structured content of one snapshot.
     *
     * @param problem the registry directory's problem, or null; {@code heading} may be null
     */
    static McpSchema.CallToolResult result(InstanceRegistry registry, InstanceRegistry.Snapshot snapshot, String problem,
            String heading, Query query) {
        String dir = registry.settings().registryDir().toString();
        Paging.Page<InstanceView> page = page(snapshot.instances(), query);
        return ToolResults.success(markdown(snapshot, page, query, dir, problem, heading),
                structured(snapshot, page, dir, problem));
    }

    /** Sorted as the registry sorts its snapshot: name in any case, then file name. */
    static Paging.Page<InstanceView> page(List<InstanceView> sorted, Query query) {
        return Paging.page(sorted, query::accepts, query.limit(), query.cursor(), v -> v.name() + '\0' + v.file(),
                (v, key) -> {
                    int cut = key.indexOf('\0');
                    String name = cut < 0 ? key : key.substring(0, cut);
                    String file = cut < 0 ? "" : key.substring(cut + 1);
                    int c = String.CASE_INSENSITIVE_ORDER.compare(v.name(), name);
                    return c > 0 || c == 0 && v.file().compareTo(file) > 0;
                });
    }

    private static String markdown(InstanceRegistry.Snapshot snapshot, Paging.Page<InstanceView> page, Query query,
            String registryDir, String problem, String heading) {
        List<InstanceView> all = snapshot.instances();
        List<InstanceView> rows = page.rows();
        StringBuilder md = new StringBuilder();
        if (heading != null) {
            md.append(heading).append("\n\n");
        }
        if (problem != null) {
            md.append("**Registry problem:** ").append(SafeText.markdown(problem)).append("\n\n");
        }
        if (all.isEmpty()) {
            md.append("No OpenCode instances are registered in ").append(Markdown.code(registryDir))
                    .append(".\n\nRun `opencode-connected` on a machine to register one.");
            return md.toString();
        }
        Map<InstanceState, Integer> counts = counts(all);
        md.append("**").append(all.size()).append(all.size() == 1 ? " instance" : " instances").append("** (");
        List<String> parts = new ArrayList<>();
        counts.forEach((state, n) -> parts.add(n + " " + state.label()));
        md.append(String.join(", ", parts)).append(") in ").append(Markdown.code(registryDir)).append("\n\n");
        if (query.filtered()) {
            md.append(page.matched()).append(" match");
            if (query.state() != null) {
                md.append(" state ").append(Markdown.code(query.state()));
            }
            if (query.query() != null) {
                md.append(query.state() != null ? " and" : "").append(" query ").append(Markdown.code(query.query()));
            }
            md.append(".\n\n");
        }
        if (rows.isEmpty()) {
            md.append(query.cursor() != null ? "No more instances after this cursor." : "No instance matches.");
            return md.toString();
        }
        // no last-seen column: it is in the structured content, and a page of rows must stay small
        md.append("| Instance | Host | Directory | State | Version | Activity |\n");
        md.append("|---|---|---|---|---|---|\n");
        List<InstanceView> problems = new ArrayList<>();
        List<InstanceView> notes = new ArrayList<>();
        for (InstanceView v : rows) {
            if (v.reason() != null) {
                problems.add(v);
            } else if (v.note() != null) {
                notes.add(v);
            }
            md.append("| ").append(SafeText.markdown(v.name()))
                    .append(" | ").append(SafeText.markdown(v.hostname()))
                    .append(" | ").append(SafeText.markdown(v.cwd()))
                    .append(" | ").append(stateCell(v))
                    .append(" | ").append(SafeText.markdown(v.version()))
                    .append(" | ").append(activity(v))
                    .append(" |\n");
        }
        if (!problems.isEmpty()) {
            md.append("\nNot usable:\n");
            for (InstanceView v : problems) {
                md.append("- ").append(Markdown.code(v.file())).append(" (").append(v.state().label()).append("): ")
                        .append(SafeText.markdown(v.reason())).append('\n');
            }
        }
        if (!notes.isEmpty()) {
            md.append("\nNotes:\n");
            for (InstanceView v : notes) {
                md.append("- ").append(Markdown.cell(v.name())).append(": ").append(v.note()).append('\n');
            }
        }
        if (page.next() != null) {
            md.append("\nShowing ").append(rows.size()).append(" of ").append(page.matched())
                    .append(". Next page: the same call with `\"cursor\":\"").append(page.next()).append("\"`.");
        }
        return md.toString().stripTrailing();
    }

    private static String stateCell(InstanceView v) {
        if (v.state() == InstanceState.ONLINE || v.state() == InstanceState.PROBING) {
            return v.state().label();
        }
        String since = " since " + Times.iso(v.since());
        return v.state().label() + (v.failures() > 1 ? " (" + v.failures() + " failed probes)" : "") + since;
    }

    static String activity(InstanceView v) {
        if (v.state() != InstanceState.ONLINE) {
            return "-";
        }
        String s = v.busySessions() == 0 ? "idle" : v.busySessions() + " busy";
        if (v.pendingPermissions() > 0) {
            s += ", " + v.pendingPermissions() + " waiting for permission";
        }
        if (v.pendingQuestions() > 0) {
            s += ", " + v.pendingQuestions() + (v.pendingQuestions() == 1 ? " question" : " questions")
                    + " waiting for an answer";
        }
        return s;
    }

    static Map<InstanceState, Integer> counts(List<InstanceView> all) {
        Map<InstanceState, Integer> counts = new EnumMap<>(InstanceState.class);
        for (InstanceView v : all) {
            counts.merge(v.state(), 1, Integer::sum);
        }
        return counts;
    }

    private static Map<String, Object> structured(InstanceRegistry.Snapshot snapshot, Paging.Page<InstanceView> page,
            String registryDir, String problem) {
        Map<String, Object> out = ToolResults.object();
        out.put("registryDir", registryDir);
        out.put("problem", problem);
        Map<String, Object> counts = ToolResults.object();
        counts(snapshot.instances()).forEach((s, n) -> counts.put(s.label(), n));
        out.put("counts", counts);
        out.put("total", snapshot.instances().size());
        out.put("matched", page.matched());
        out.put("nextCursor", page.next());
        List<Map<String, Object>> list = new ArrayList<>();
        for (InstanceView v : page.rows()) {
            Map<String, Object> m = row(v);
            m.put("lastSeen", Times.iso(v.lastSeen()));
            m.put("heartbeatAt", Times.iso(v.heartbeatAt()));
            list.add(m);
        }
        out.put("instances", list);
        return out;
    }

    /**
     * The whole registry for the {@code opencode://fleet} resource: counts and every row, without the
     * times that move on every heartbeat (a subscriber hears of real changes only).
     */
    static Map<String, Object> roster(InstanceRegistry registry, InstanceRegistry.Snapshot snapshot, String problem) {
        Map<String, Object> out = ToolResults.object();
        out.put("registryDir", registry.settings().registryDir().toString());
        out.put("problem", problem);
        Map<String, Object> counts = ToolResults.object();
        counts(snapshot.instances()).forEach((s, n) -> counts.put(s.label(), n));
        out.put("counts", counts);
        out.put("total", snapshot.instances().size());
        out.put("instances", snapshot.instances().stream().map(InstanceListing::row).toList());
        return out;
    }

    /** One instance as list_instances shows it, less lastSeen and heartbeatAt. */
    static Map<String, Object> row(InstanceView v) {
        {
            Map<String, Object> m = ToolResults.object();
            m.put("name", v.name());
            // zero counts and the usual file name are left out: a page of 100 rows stays under 32 KB
            m.put("file", v.file().equals(v.name() + ".json") ? null : v.file());
            m.put("hostname", v.hostname());
            m.put("cwd", v.cwd());
            m.put("port", v.port());
            m.put("state", v.state().label());
            m.put("version", v.version());
            m.put("reason", v.reason());
            m.put("since", Times.iso(v.since()));
            m.put("failures", v.failures() == 0 ? null : v.failures());
            if (v.state() == InstanceState.ONLINE) {
                m.put("busySessions", v.busySessions());
                m.put("pendingPermissions", v.pendingPermissions() == 0 ? null : v.pendingPermissions());
                m.put("pendingQuestions", v.pendingQuestions() == 0 ? null : v.pendingQuestions());
                m.put("note", v.note());
            }
            return m;
        }
    }
}
