package org.opencodemcp.connector.cli;

import org.opencodemcp.connector.ConnectorVersion;
import picocli.CommandLine;

/** {@code --version}: the connector's name and version. */
public final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        ConnectorVersion v = ConnectorVersion.current();
        return new String[] {v.name() + " " + v.version()};
    }
}
