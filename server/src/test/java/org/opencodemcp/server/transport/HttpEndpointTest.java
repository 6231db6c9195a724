package org.opencodemcp.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HttpEndpointTest {

    @Test
    void parsesPortHostPortAndBracketedIpv6() {
        assertThat(HttpEndpoint.parse("9000", null, null)).isEqualTo(new HttpEndpoint("127.0.0.1", 9000));
        assertThat(HttpEndpoint.parse("0.0.0.0:9000", null, null)).isEqualTo(new HttpEndpoint("0.0.0.0", 9000));
        assertThat(HttpEndpoint.parse("localhost:1", null, null)).isEqualTo(new HttpEndpoint("localhost", 1));
        assertThat(HttpEndpoint.parse("[::1]:9000", null, null)).isEqualTo(new HttpEndpoint("::1", 9000));
        assertThat(HttpEndpoint.parse("[::1]:9000", null, null).urlHost()).isEqualTo("[::1]");
        assertThat(HttpEndpoint.parse("0", null, null).port()).isZero();
    }

    @Test
    void httpBindAndPortFillWhatTheOptionLeavesOut() {
        assertThat(HttpEndpoint.parse("", null, null)).isEqualTo(new HttpEndpoint("127.0.0.1", 8080));
        assertThat(HttpEndpoint.parse("", "0.0.0.0:7000", null)).isEqualTo(new HttpEndpoint("0.0.0.0", 7000));
        assertThat(HttpEndpoint.parse("", "0.0.0.0", "7000")).isEqualTo(new HttpEndpoint("0.0.0.0", 7000));
        assertThat(HttpEndpoint.parse("", "7002", null)).isEqualTo(new HttpEndpoint("127.0.0.1", 7002));
        assertThat(HttpEndpoint.parse("", "[::1]", null)).isEqualTo(new HttpEndpoint("::1", 8080));
        assertThat(HttpEndpoint.parse("7001", "10.0.0.2", "7000")).isEqualTo(new HttpEndpoint("10.0.0.2", 7001));
        assertThat(HttpEndpoint.parse("127.0.0.1:7001", "10.0.0.2:7000", "7000")).isEqualTo(new HttpEndpoint("127.0.0.1", 7001));
        assertThat(HttpEndpoint.parse("", " ", " ")).isEqualTo(new HttpEndpoint("127.0.0.1", 8080));
    }

    @Test
    void theGenericHostVariableIsNeverTheAddressAndRemoteNeedsConsent() {
        // HttpMode passes HTTP_BIND, never HOST: "HOST=0.0.0.0 --http 8080" is this call
        assertThat(HttpEndpoint.parse("8080", null, null)).isEqualTo(new HttpEndpoint("127.0.0.1", 8080));
        assertThatThrownBy(() -> HttpMode.refuseRemoteUnlessAllowed(new HttpEndpoint("0.0.0.0", 8080), false))
                .isInstanceOf(HttpConfigException.class).hasMessageContaining("--allow-remote").hasMessageContaining("TLS")
                .hasMessageNotContaining("\n");
        HttpMode.refuseRemoteUnlessAllowed(new HttpEndpoint("0.0.0.0", 8080), true);
        HttpMode.refuseRemoteUnlessAllowed(new HttpEndpoint("127.0.0.1", 8080), false);
    }

    @Test
    void refusesBadValuesWithAClearMessage() {
        assertThatThrownBy(() -> HttpEndpoint.parse("http", null, null)).isInstanceOf(HttpConfigException.class)
                .hasMessageContaining("not a port");
        assertThatThrownBy(() -> HttpEndpoint.parse("70000", null, null)).hasMessageContaining("not a port");
        assertThatThrownBy(() -> HttpEndpoint.parse(":9000", null, null)).hasMessageContaining("empty");
        assertThatThrownBy(() -> HttpEndpoint.parse("::1:9000", null, null)).hasMessageContaining("brackets");
        assertThatThrownBy(() -> HttpEndpoint.parse("", null, "eighty")).hasMessageContaining("PORT");
    }

    @Test
    void knowsLoopbackFromTheRest() {
        assertThat(new HttpEndpoint("127.0.0.1", 1).loopback()).isTrue();
        assertThat(new HttpEndpoint("127.1.2.3", 1).loopback()).isTrue();
        assertThat(new HttpEndpoint("::1", 1).loopback()).isTrue();
        assertThat(new HttpEndpoint("localhost", 1).loopback()).isTrue();
        assertThat(new HttpEndpoint("0.0.0.0", 1).loopback()).isFalse();
        assertThat(new HttpEndpoint("::", 1).loopback()).isFalse();
        assertThat(new HttpEndpoint("192.168.1.5", 1).loopback()).isFalse();
    }
}
