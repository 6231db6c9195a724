package org.opencodemcp.server.transport;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /healthz} (liveness) and {@code GET /readyz} (readiness), without the token. They
 * reveal counts only: no instance names, hosts, directories or paths.
 */
final class HealthServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient Supplier<HealthReport> health;
    private final long startedAt = System.nanoTime();

    HealthServlet(Supplier<HealthReport> health) {
        this.health = health;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        HealthReport h = health.get();
        ObjectNode body = JsonErrors.JSON.createObjectNode();
        int status;
        if ("/readyz".equals(req.getRequestURI())) {
            status = h.ready() ? 200 : 503;
            body.put("status", h.ready() ? "ready" : "starting");
        } else {
            // Liveness: the process answers. Degraded (503) once started but the watcher is dead or the
            // directory unusable: discovery then relies on the periodic rescan only.
            boolean degraded = h.ready() && (!h.watcherAlive() || !h.registryOk());
            status = degraded ? 503 : 200;
            body.put("status", !h.ready() ? "starting" : degraded ? "degraded" : "ok");
            body.put("uptimeSeconds", (System.nanoTime() - startedAt) / 1_000_000_000L);
            body.put("watcherAlive", h.watcherAlive());
            body.put("registryOk", h.registryOk());
            ObjectNode counts = body.putObject("instances");
            int total = 0;
            for (Map.Entry<String, Integer> e : h.counts().entrySet()) {
                counts.put(e.getKey(), e.getValue());
                total += e.getValue();
            }
            counts.put("total", total);
        }
        byte[] bytes = JsonErrors.JSON.writeValueAsBytes(body);
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentLength(bytes.length);
        if (!"HEAD".equals(req.getMethod())) {
            resp.getOutputStream().write(bytes);
        }
    }
}
