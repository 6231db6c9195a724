package org.opencodemcp.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostPolicyTest {

    @Test
    void byDefaultOnlyLoopbackNamesOnTheBoundPort() {
        HostPolicy p = HostPolicy.of(null, null, "127.0.0.1", 8080);
        assertThat(p.hostProblem("127.0.0.1:8080")).isNull();
        assertThat(p.hostProblem("localhost:8080")).isNull();
        assertThat(p.hostProblem("LOCALHOST:8080")).isNull();
        assertThat(p.hostProblem("[::1]:8080")).isNull();

        assertThat(p.hostProblem("127.0.0.1:9999")).contains("not allowed").contains("ALLOWED_HOSTS");
        assertThat(p.hostProblem("localhost")).as("port 80 implied").isNotNull();
        assertThat(p.hostProblem("evil.example:8080")).isNotNull();
        assertThat(p.hostProblem("localhost.evil.example:8080")).isNotNull();
        assertThat(p.hostProblem(null)).contains("required");
        assertThat(p.hostProblem("")).contains("required");
        assertThat(p.hostProblem("a:b:c")).isEqualTo("malformed Host header");
    }

    @Test
    void theBoundAddressIsAllowedButAWildcardAddsNothing() {
        assertThat(HostPolicy.of(null, null, "192.168.1.5", 9000).hostProblem("192.168.1.5:9000")).isNull();
        HostPolicy any = HostPolicy.of(null, null, "0.0.0.0", 9000);
        assertThat(any.hostProblem("0.0.0.0:9000")).isNotNull();
        assertThat(any.hostProblem("relay.example.com:9000")).isNotNull();
        assertThat(any.hostProblem("127.0.0.1:9000")).isNull();
    }

    @Test
    void allowedHostsEntriesWithAndWithoutPorts() {
        HostPolicy p = HostPolicy.of("relay.example.com, other.example:8443 ,[fd00::1]:9000", null, "0.0.0.0", 9000);
        assertThat(p.hostProblem("relay.example.com")).as("no port in the entry: any port").isNull();
        assertThat(p.hostProblem("relay.example.com:443")).isNull();
        assertThat(p.hostProblem("Relay.Example.COM:9000")).isNull();
        assertThat(p.hostProblem("other.example:8443")).isNull();
        assertThat(p.hostProblem("other.example:8444")).isNotNull();
        assertThat(p.hostProblem("other.example")).isNotNull();
        assertThat(p.hostProblem("[fd00::1]:9000")).isNull();
        assertThat(p.hostProblem("sub.relay.example.com")).as("no suffix matching").isNotNull();
        assertThat(HostPolicy.of("*", null, "127.0.0.1", 1).hostProblem("anything:1234")).isNull();
    }

    @Test
    void badAllowedHostsEntriesAreRefusedAtStartup() {
        assertThatThrownBy(() -> HostPolicy.of("::1", null, "127.0.0.1", 1)).isInstanceOf(HttpConfigException.class)
                .hasMessageContaining("brackets");
        assertThatThrownBy(() -> HostPolicy.of("host:port", null, "127.0.0.1", 1)).hasMessageContaining("not a port");
        assertThatThrownBy(() -> HostPolicy.of("http://host", null, "127.0.0.1", 1)).isInstanceOf(HttpConfigException.class);
        assertThatThrownBy(() -> HostPolicy.of("[::1", null, "127.0.0.1", 1)).hasMessageContaining("unterminated");
        assertThatThrownBy(() -> HostPolicy.of("*.example.com", null, "127.0.0.1", 1)).as("no subdomain wildcards")
                .hasMessageContaining("not a host name");
    }

    @Test
    void originAbsentOrLoopbackOnTheBoundPortIsAllowed() {
        HostPolicy p = HostPolicy.of(null, null, "127.0.0.1", 8080);
        assertThat(p.originProblem(null)).isNull();
        assertThat(p.originProblem("")).isNull();
        assertThat(p.originProblem("http://localhost:8080")).isNull();
        assertThat(p.originProblem("http://127.0.0.1:8080")).isNull();
        assertThat(p.originProblem("https://[::1]:8080")).isNull();

        assertThat(p.originProblem("http://localhost:3000")).contains("ALLOWED_ORIGINS");
        assertThat(p.originProblem("http://evil.example")).isNotNull();
        assertThat(p.originProblem("null")).isNotNull();
        assertThat(p.originProblem("http://localhost:8080.evil.example")).isNotNull();
        assertThat(p.originProblem("http://localhost:8080@evil.example")).isNotNull();
    }

    @Test
    void allowedOriginsExactDefaultPortAndWildcardPort() {
        HostPolicy p = HostPolicy.of(null, "https://chat.example.com, http://dev.example:*, https://x.example:8443/", "127.0.0.1", 8080);
        assertThat(p.originProblem("https://chat.example.com")).isNull();
        assertThat(p.originProblem("https://chat.example.com:443")).as("default port written out").isNull();
        assertThat(p.originProblem("HTTPS://Chat.Example.com")).isNull();
        assertThat(p.originProblem("http://chat.example.com")).as("scheme matters").isNotNull();
        assertThat(p.originProblem("https://chat.example.com:8443")).isNotNull();
        assertThat(p.originProblem("http://dev.example:5173")).isNull();
        assertThat(p.originProblem("http://dev.example")).isNull();
        assertThat(p.originProblem("http://dev.example.evil:5173")).isNotNull();
        assertThat(p.originProblem("https://x.example:8443")).isNull();
        assertThat(HostPolicy.of(null, "*", "127.0.0.1", 1).originProblem("http://anything")).isNull();
    }

    @Test
    void badAllowedOriginsEntriesAreRefusedAtStartup() {
        assertThatThrownBy(() -> HostPolicy.of(null, "chat.example.com", "127.0.0.1", 1)).isInstanceOf(HttpConfigException.class)
                .hasMessageContaining("scheme://host");
        assertThatThrownBy(() -> HostPolicy.of(null, "https://chat.example.com/path", "127.0.0.1", 1))
                .isInstanceOf(HttpConfigException.class);
    }

    @Test
    void refusalMessagesEchoAShortPrintableValue() {
        HostPolicy p = HostPolicy.of(null, null, "127.0.0.1", 8080);
        String problem = p.originProblem("http://" + "a".repeat(500) + "\u0007");
        assertThat(problem.length()).isLessThan(250);
        assertThat(problem).doesNotContain("\u0007");
    }
}
