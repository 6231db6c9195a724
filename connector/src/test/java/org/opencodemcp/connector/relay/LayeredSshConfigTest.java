package org.opencodemcp.connector.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.jcraft.jsch.OpenSSHConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayeredSshConfigTest {

    @Test
    void keepaliveAndConnectTimeoutFromTheFileAreSecondsLikeTheCommandLine(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("config"),
                "Host *\n  ServerAliveInterval 1\n  ServerAliveCountMax 2\n  ConnectTimeout 7\n");
        OpenSSHConfig parsed = OpenSSHConfig.parseFile(file.toString());
        RelayTarget target = new RelayTarget("u", "127.0.0.1", 22, List.of(), Map.of());
        LayeredSshConfig fromFile = new LayeredSshConfig(parsed, target);
        assertThat(fromFile.raw("ServerAliveInterval")).isEqualTo("1");
        assertThat(fromFile.raw("ConnectTimeout")).isEqualTo("7");
        assertThat(fromFile.raw("ServerAliveCountMax")).isEqualTo("2");

        LayeredSshConfig explicit = new LayeredSshConfig(parsed, target.withOption("ServerAliveInterval", "5"));
        assertThat(explicit.raw("ServerAliveInterval")).isEqualTo("5");
    }
}
