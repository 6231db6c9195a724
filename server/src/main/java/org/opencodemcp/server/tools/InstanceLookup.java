package org.opencodemcp.server.tools;

import org.opencodemcp.server.instance.Instance;
import org.opencodemcp.server.instance.InstanceMatcher;
import org.opencodemcp.server.instance.InstanceState;
import org.opencodemcp.server.opencode.OpenCodeClient;
import org.opencodemcp.server.registry.InstanceRegistry;
import org.opencodemcp.contract.SafeText;

/** The instance argument every tool takes, resolved to an online instance or a helpful {@link ToolError}. */
public final class InstanceLookup {
    private final InstanceRegistry registry;

    public InstanceLookup(InstanceRegistry registry) {
        this.registry = registry;
    }

    /** Input-schema fragment shared by every tool that takes an instance. */
    public static final String INSTANCE_PROPERTY = "\"instance\":{\"type\":\"string\","
            + "\"description\":\"Instance name from list_instances: exact, or a unique case-insensitive part of it\"}";

    public Instance online(String query) {
        InstanceMatcher.Match match = InstanceMatcher.resolve(query, registry.instances());
        if (!match.found()) {
            throw new ToolError(match.error());
        }
        Instance i = match.instance();
        OpenCodeClient client = i.client();
        if (i.state() != InstanceState.ONLINE || client == null) {
            String why = i.reason() == null ? "" : " (" + SafeText.markdown(i.reason()) + ")";
            throw new ToolError("Instance " + i.name() + " is " + i.state().label() + " since " + Times.iso(i.since()) + why
                    + ". Call `refresh_instances` to re-check, or pick an online instance from `list_instances`.");
        }
        return i;
    }
}
