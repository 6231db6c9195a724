package org.opencodemcp.server.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.opencodemcp.testkit.Closer;
import org.opencodemcp.testkit.Eventually;
import org.opencodemcp.testkit.FakeLlm;
import org.opencodemcp.testkit.OpenCodeServer;
import org.opencodemcp.testkit.TempDirs;

/**
 * The set-up most session ITs share: a fake LLM, one real {@code opencode serve} using it, and the packaged
 * jar over stdio watching a temp registry. Registering the instance is optional, so a test can watch it
 * arrive; {@link #close()} tears everything down in the right order.
 */
public final class OneInstanceFleet implements AutoCloseable {
    private final String instance;
    private final Path registry;
    private final FakeLlm llm;
    private final OpenCodeServer opencode;
    private final McpStdioServer mcp;

    private OneInstanceFleet(Builder b) {
        this.instance = b.instance;
        Path dir = null;
        FakeLlm fake = null;
        OpenCodeServer server = null;
        McpStdioServer client = null;
        try {
            dir = TempDirs.create("registry-" + b.instance + "-");
            fake = FakeLlm.start();
            b.scenarios.accept(fake);
            server = b.opencode.apply(OpenCodeServer.builder().llm(fake)).start();
            client = McpStdioServer.start(dir, b.serverEnv);
        } catch (RuntimeException | Error e) {
            Path created = dir;
            Closer.closeAll(client, server, fake, created == null ? null : () -> TempDirs.deleteRecursively(created));
            throw e;
        }
        this.registry = dir;
        this.llm = fake;
        this.opencode = server;
        this.mcp = client;
        if (b.registered) {
            register();
            awaitOnline();
        }
    }

    public static Builder builder(String instance) {
        return new Builder(instance);
    }

    /** Writes the instance's registration, as its connector would. */
    public void register() {
        Registrations.write(registry, instance, opencode.port(), opencode.directory().toString());
    }

    public void awaitOnline() {
        Eventually.await(Duration.ofSeconds(10), () -> assertThat(McpStdioServer.text(mcp.call("list_instances",
                Map.of("query", instance)))).contains("online"));
    }

    public String instance() {
        return instance;
    }

    public Path registry() {
        return registry;
    }

    public FakeLlm llm() {
        return llm;
    }

    public OpenCodeServer opencode() {
        return opencode;
    }

    public McpStdioServer mcp() {
        return mcp;
    }

    @Override
    public void close() {
        Closer.closeAll(mcp, opencode, llm, () -> TempDirs.deleteRecursively(registry));
    }

    public static final class Builder {
        private final String instance;
        private Consumer<FakeLlm> scenarios = llm -> {};
        private UnaryOperator<OpenCodeServer.Builder> opencode = b -> b;
        private Map<String, String> serverEnv = Map.of();
        private boolean registered = true;

        private Builder(String instance) {
            this.instance = instance;
        }

        /** The keyword scenarios the fake LLM answers ({@code llm.on(...)}). */
        public Builder scenarios(Consumer<FakeLlm> scenarios) {
            this.scenarios = scenarios;
            return this;
        }

        /** Extra opencode configuration (permission rules, a password, a release). */
        public Builder opencode(UnaryOperator<OpenCodeServer.Builder> configure) {
            this.opencode = configure;
            return this;
        }

        /** Environment for the MCP server process. */
        public Builder serverEnv(Map<String, String> env) {
            this.serverEnv = env;
            return this;
        }

        /** Leave the registry empty: the test calls {@link #register()} when it wants the instance to appear. */
        public Builder unregistered() {
            this.registered = false;
            return this;
        }

        public OneInstanceFleet start() {
            return new OneInstanceFleet(this);
        }
    }
}
