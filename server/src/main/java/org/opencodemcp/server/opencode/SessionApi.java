package org.opencodemcp.server.opencode;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The session-level routes of one OpenCode server ({@code /session/...}), so that tools never build URLs.
 * Routes that take a session id resolve the session's own directory on the server side, so
 * no {@code directory} parameter is sent with them.
 */
public final class SessionApi {
    private final OpenCodeClient client;

    public SessionApi(OpenCodeClient client) {
        this.client = client;
    }

    /** {@code GET /session}: the server project's sessions, newest update first. */
    public List<SessionInfo> list() {
        List<SessionInfo> out = new ArrayList<>();
        JsonNode arr = client.get("/session");
        if (arr != null && arr.isArray()) {
            arr.forEach(s -> out.add(SessionInfo.from(s)));
        }
        // the server already sorts, but the "most recent" default must not depend on that
        out.sort((a, b) -> Long.compare(b.updated(), a.updated()));
        return out;
    }

    /** {@code GET /session/{id}}; a malformed id answers 500, so callers validate the {@code ses} prefix first. */
    public SessionInfo get(String sessionId) {
        return SessionInfo.from(client.get("/session/" + enc(sessionId)));
    }

    /** {@code POST /session}: note that create takes the model as {@code {id, providerID}}, while prompts take {@code {providerID, modelID}}. */
    public SessionInfo create(String title, String agent, ModelRef model) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (title != null) {
            body.put("title", title);
        }
        if (agent != null) {
            body.put("agent", agent);
        }
        if (model != null) {
            body.put("model", Map.of("providerID", model.providerId(), "id", model.modelId()));
        }
        return SessionInfo.from(client.post("/session", body));
    }

    /** {@code GET /session/{id}/message?limit=N}: the newest N messages, oldest first, each {@code {info, parts}}. */
    public List<SessionMessage> messages(String sessionId, int limit) {
        return SessionMessage.list(client.get("/session/" + enc(sessionId) + "/message?limit=" + Math.max(1, limit)));
    }

    /**
     * {@code POST /session/{id}/prompt_async}: answers 204 at once; the turn runs on and is followed through
     * events. {@code agent} and {@code model} are sent only when known, since an omitted agent falls back to
     * {@code build} and a wrong model sticks to the session.
     */
    public void promptAsync(String sessionId, String text, String agent, ModelRef model) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("parts", List.of(Map.of("type", "text", "text", text)));
        if (agent != null) {
            body.put("agent", agent);
        }
        if (model != null) {
            body.put("model", Map.of("providerID", model.providerId(), "modelID", model.modelId()));
        }
        client.post("/session/" + enc(sessionId) + "/prompt_async", body);
    }

    /** {@code POST /session/{id}/abort}: always answers true, even when nothing ran. */
    public void abort(String sessionId) {
        client.post("/session/" + enc(sessionId) + "/abort", null);
    }

    /** {@code GET /session/status}: non-idle sessions of the server's own directory only (not of sessions run in another one). */
    public Map<String, SessionStatus> statuses() {
        return SessionStatus.map(client.get("/session/status"));
    }

    /** {@code GET /permission}: pending permission requests. */
    public List<Permission> permissions() {
        return Permission.list(client.get("/permission"));
    }

    /** {@code POST /permission/{id}/reply} with {@code once|always|reject}. */
    public void replyPermission(String permissionId, String reply) {
        client.post("/permission/" + enc(permissionId) + "/reply", Map.of("reply", reply));
    }

    /** {@code GET /session/{id}/diff?messageID=}: diffs are keyed by the turn's user message (the session-level call answers {@code []}). */
    public List<FileDiff> diff(String sessionId, String userMessageId) {
        List<FileDiff> d = FileDiff.list(client.get("/session/" + enc(sessionId) + "/diff?messageID=" + enc(userMessageId)));
        return d == null ? List.of() : d;
    }

    /** {@code GET /question}: pending questions (absent in 1.2: not found). */
    public List<Question> questions() {
        return Question.list(client.get("/question"));
    }

    /** {@code POST /question/{id}/reply}: one list of chosen labels (or free text) per question asked. */
    public void replyQuestion(String questionId, List<List<String>> answers) {
        client.post("/question/" + enc(questionId) + "/reply", Map.of("answers", answers));
    }

    /** {@code POST /question/{id}/reject}: the question tool ends in error and the turn ends. */
    public void rejectQuestion(String questionId) {
        client.post("/question/" + enc(questionId) + "/reject", null);
    }

    /** {@code GET /session/{id}/todo}. */
    public List<Todo> todos(String sessionId) {
        return Todo.list(client.get("/session/" + enc(sessionId) + "/todo"));
    }

    /** {@code GET /agent}, hidden ones included. */
    public List<Agent> agents() {
        return Agent.list(client.get("/agent"));
    }

    /** {@code GET /config/providers}: configured providers and their models, plus the defaults. */
    public ProviderCatalog providers() {
        return ProviderCatalog.from(client.get("/config/providers"));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
