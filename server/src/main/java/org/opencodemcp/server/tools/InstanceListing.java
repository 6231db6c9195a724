package org.opencodemcp.server.tools;

import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.opencodemcp.server.instance.InstanceState;
import org.opencodemcp.server.instance.InstanceView;
import org.opencodemcp.server.registry.InstanceRegistry;
import org.opencodemcp.server.registry.SafeText;

/** Renders a registry snapshot as the Markdown table and structured content of list/refresh_instances. */
final class InstanceListing {
    static final String OUTPUT_SCHEMA = """
            {"type":"object","required":["registryDir","counts","instances"],
             "properties":{
              "registryDir":{"type":"string"},
              "problem":{"type":"string","description":"why the registry directory cannot be read or watched"},
              "counts":{"type":"object","additionalProperties":{"type":"integer"}},
              "instances":{"type":"array","items":{"type":"object","required":["name","file","state"],
               "properties":{
                "name":{"type":"string"},"file":{"type":"string"},"hostname":{"type":"string"},
                "cwd":{"type":"string"},"port":{"type":"integer"},
                "state":{"type":"string","enum":["probing","online","unreachable","mismatch","invalid"]},
                "version":{"type":"string"},"reason":{"type":"string"},"since":{"type":"string"},
                "failures":{"type":"integer"},"lastSeen":{"type":"string"},"heartbeatAt":{"type":"string"},
                "busySessions":{"type":"integer"},"pendingPermissions":{"type":"integer"},
                "note":{"type":"string","description":"something worth knowing about an online instance, e.g. no live events"}}}}}}
            """;

    private InstanceListing() {}

    /** The declaration shared by list_instances and refresh_instances: same output, read-only. */
    static McpSchema.Tool tool(String name, String title, String description) {
        return ToolCatalog.tool(name, title, description)
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
            String heading) {
        String dir = registry.settings().registryDir().toString();
        return ToolResults.success(markdown(snapshot, dir, problem, heading), structured(snapshot, dir, problem));
    }

    private static String markdown(InstanceRegistry.Snapshot snapshot, String registryDir, String problem, String heading) {
        List<InstanceView> all = snapshot.instances();
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
        md.append("| Instance | Host | Directory | State | Version | Activity | Last seen |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        List<InstanceView> problems = new ArrayList<>();
        List<InstanceView> notes = new ArrayList<>();
        for (InstanceView v : all) {
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
                    .append(" | ").append(Markdown.cell(Times.iso(v.lastSeen())))
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
        return md.toString().stripTrailing();
    }

    private static String stateCell(InstanceView v) {
        if (v.state() == InstanceState.ONLINE || v.state() == InstanceState.PROBING) {
            return v.state().label();
        }
        String since = " since " + Times.iso(v.since());
        return v.state().label() + (v.failures() > 1 ? " (" + v.failures() + " failed probes)" : "") + since;
    }

    private static String activity(InstanceView v) {
        if (v.state() != InstanceState.ONLINE) {
            return "-";
        }
        String s = v.busySessions() == 0 ? "idle" : v.busySessions() + " busy";
        if (v.pendingPermissions() > 0) {
            s += ", " + v.pendingPermissions() + " waiting for permission";
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

    private static Map<String, Object> structured(InstanceRegistry.Snapshot snapshot, String registryDir, String problem) {
        Map<String, Object> out = ToolResults.object();
        out.put("registryDir", registryDir);
        out.put("problem", problem);
        Map<String, Object> counts = ToolResults.object();
        counts(snapshot.instances()).forEach((s, n) -> counts.put(s.label(), n));
        out.put("counts", counts);
        List<Map<String, Object>> list = new ArrayList<>();
        for (InstanceView v : snapshot.instances()) {
            Map<String, Object> m = ToolResults.object();
            m.put("name", v.name());
            m.put("file", v.file());
            m.put("hostname", v.hostname());
            m.put("cwd", v.cwd());
            m.put("port", v.port());
            m.put("state", v.state().label());
            m.put("version", v.version());
            m.put("reason", v.reason());
            m.put("since", Times.iso(v.since()));
            m.put("failures", v.failures());
            m.put("lastSeen", Times.iso(v.lastSeen()));
            m.put("heartbeatAt", Times.iso(v.heartbeatAt()));
            if (v.state() == InstanceState.ONLINE) {
                m.put("busySessions", v.busySessions());
                m.put("pendingPermissions", v.pendingPermissions());
                m.put("note", v.note());
            }
            list.add(m);
        }
        out.put("instances", list);
        return out;
    }
}
