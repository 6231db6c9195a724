package org.opencodemcp.server.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opencodemcp.server.instance.InstanceView;
import org.opencodemcp.server.opencode.OpenCodeException;
import org.opencodemcp.server.registry.InstanceRegistry;
import org.opencodemcp.server.tools.session.SessionResources;

/**
 * The MCP resources: {@code opencode://fleet} (the roster and fleet_status's items as JSON), {@code opencode://instance/{name}}
 * (one instance and its sessions, JSON) and {@code opencode://instance/{name}/session/{id}} (a
 * conversation, Markdown). The fleet is listed; the other two are templates. {@link ResourceUpdates}
 * tells subscribers when they change.
 */
public final class ResourceSet {
    public static final String FLEET = "opencode://fleet";
    static final String INSTANCE_TEMPLATE = "opencode://instance/{name}";
    static final String SESSION_TEMPLATE = "opencode://instance/{name}/session/{id}";
    static final Pattern INSTANCE = Pattern.compile("opencode://instance/([^/]+)");
    static final Pattern SESSION = Pattern.compile("opencode://instance/([^/]+)/session/([^/]+)");

    private final InstanceRegistry registry;
    private final SessionResources sessions;
    private final ObjectMapper json = new ObjectMapper();

    /** @param clock the time fleet items are aged against */
    public ResourceSet(InstanceRegistry registry, java.time.Clock clock) {
        this.registry = registry;
        this.sessions = new SessionResources(registry, clock);
    }

    public static String instanceUri(String name) {
        return "opencode://instance/" + URLEncoder.encode(name, StandardCharsets.UTF_8);
    }

    public static String sessionUri(String name, String sessionId) {
        return instanceUri(name) + "/session/" + URLEncoder.encode(sessionId, StandardCharsets.UTF_8);
    }

    public List<McpServerFeatures.SyncResourceSpecification> resources() {
        return List.of(new McpServerFeatures.SyncResourceSpecification(
                McpSchema.Resource.builder(FLEET, "fleet").title("OpenCode fleet")
                        .description("Every registered OpenCode instance with its live state, as JSON (the list_instances"
                                + " rows of the whole registry) and, under fleet, what fleet_status shows: every pending"
                                + " permission and question and every busy session. Subscribe to hear when it changes.")
                        .mimeType("application/json").build(),
                (exchange, request) -> text(request.uri(), "application/json", fleetJson())));
    }

    public List<McpServerFeatures.SyncResourceTemplateSpecification> templates() {
        return List.of(
                new McpServerFeatures.SyncResourceTemplateSpecification(
                        McpSchema.ResourceTemplate.builder(INSTANCE_TEMPLATE, "instance").title("OpenCode instance")
                                .description("One instance (name as in the fleet) with its live state and its sessions, as JSON.")
                                .mimeType("application/json").build(),
                        (exchange, request) -> text(request.uri(), "application/json", instanceJson(request.uri()))),
                new McpServerFeatures.SyncResourceTemplateSpecification(
                        McpSchema.ResourceTemplate.builder(SESSION_TEMPLATE, "session").title("OpenCode session")
                                .description("A session's latest messages as a readable conversation (Markdown): roles,"
                                        + " times, text, tool calls with their status.")
                                .mimeType("text/markdown").build(),
                        (exchange, request) -> text(request.uri(), "text/markdown", sessionMarkdown(request.uri()))));
    }

    private static McpSchema.ReadResourceResult text(String uri, String mime, String content) {
        return new McpSchema.ReadResourceResult(List.of(new McpSchema.TextResourceContents(uri, mime, content)));
    }

    /**
     * The fleet roster (the same rows as list_instances, without the fields that change on every
     * heartbeat) and, under {@code fleet}, what fleet_status shows: every wait and busy session.
     */
    String fleetJson() {
        Map<String, Object> roster = InstanceListing.roster(registry, registry.snapshot(), registry.directoryProblem());
        roster.put("fleet", sessions.fleetStatus());
        return write(roster);
    }

    /** One instance's row as in the fleet (no network), or null when no instance has that name. */
    Map<String, Object> row(String name) {
        for (InstanceView v : registry.snapshot().instances()) {
            if (v.name().equals(name)) {
                return InstanceListing.row(v);
            }
        }
        return null;
    }

    private String instanceJson(String uri) {
        Matcher m = INSTANCE.matcher(uri);
        if (!m.matches()) {
            throw notFound(uri);
        }
        String name = decode(m.group(1));
        Map<String, Object> row = row(name);
        if (row == null) {
            throw notFound(uri);
        }
        Map<String, Object> out = ToolResults.object();
        out.put("instance", row);
        if ("online".equals(row.get("state"))) {
            try {
                out.put("sessions", sessions.sessions(name));
            } catch (ToolError | OpenCodeException e) {
                out.put("sessionsError", e.getMessage());
            }
        }
        return write(out);
    }

    private String sessionMarkdown(String uri) {
        Matcher m = SESSION.matcher(uri);
        if (!m.matches()) {
            throw notFound(uri);
        }
        try {
            return sessions.conversation(decode(m.group(1)), decode(m.group(2)));
        } catch (ToolError | OpenCodeException e) {
            throw new McpError(new McpSchema.JSONRPCResponse.JSONRPCError(-32002, e.getMessage(), Map.of("uri", uri)));
        }
    }

    private static McpError notFound(String uri) {
        return new McpError(new McpSchema.JSONRPCResponse.JSONRPCError(-32002, "Resource not found", Map.of("uri", uri)));
    }

    static String decode(String part) {
        return URLDecoder.decode(part, StandardCharsets.UTF_8);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
