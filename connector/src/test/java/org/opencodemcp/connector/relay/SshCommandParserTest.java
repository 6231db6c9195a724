package org.opencodemcp.connector.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SshCommandParserTest {

    @Test
    void readsThePlainForm() {
        RelayTarget t = SshCommandParser.parse("ssh me@relay.example");
        assertThat(t.user()).isEqualTo("me");
        assertThat(t.host()).isEqualTo("relay.example");
        assertThat(t.port()).isNull();
        assertThat(t.identities()).isEmpty();
    }

    @Test
    void readsPortKeyUserAndOptionsInEverySpelling() {
        RelayTarget t = SshCommandParser.parse("/usr/bin/ssh -p 2222 -i '/keys/my key' -o StrictHostKeyChecking=yes "
                + "-oServerAliveInterval=5 -o 'ConnectTimeout 7' -NT -q relay");
        assertThat(t.port()).isEqualTo(2222);
        assertThat(t.identities()).containsExactly(Path.of("/keys/my key"));
        assertThat(t.options()).containsEntry("StrictHostKeyChecking", "yes").containsEntry("ServerAliveInterval", "5")
                .containsEntry("ConnectTimeout", "7");
        assertThat(t.user()).isNull();
        assertThat(t.host()).isEqualTo("relay");

        RelayTarget attached = SshCommandParser.parse("ssh -p2200 -i/k/id -l bob -o Port=1 relay");
        assertThat(attached.port()).isEqualTo(2200); // -p wins over -o Port, like ssh's first-wins rule
        assertThat(attached.user()).isEqualTo("bob");
        assertThat(attached.identities()).containsExactly(Path.of("/k/id"));
    }

    @Test
    void destinationUserWinsAndUriFormWorks() {
        RelayTarget t = SshCommandParser.parse("ssh -l bob ssh://alice@relay:2022");
        assertThat(t.user()).isEqualTo("alice");
        assertThat(t.port()).isEqualTo(2022);
    }

    @Test
    void harmlessOptionsAreAcceptedAndDropped() {
        RelayTarget t = SshCommandParser.parse("ssh -o ExitOnForwardFailure=yes -o BatchMode=yes me@relay");
        assertThat(t.options()).isEmpty();
    }

    @Test
    void refusesWhatJSchCannotHonourWithAClearMessage() {
        assertThatThrownBy(() -> SshCommandParser.parse("gcloud compute ssh mcp-gateway --zone=z --project=p --"))
                .hasMessageContaining("gcloud compute config-ssh");
        assertThatThrownBy(() -> SshCommandParser.parse("ssh -J jump me@relay"))
                .hasMessageContaining("'-J' is not supported").hasMessageContaining("~/.ssh/config");
        assertThatThrownBy(() -> SshCommandParser.parse("ssh -o ProxyCommand=nc me@relay"))
                .hasMessageContaining("-o ProxyCommand is not supported");
        assertThatThrownBy(() -> SshCommandParser.parse("ssh me@relay uptime"))
                .hasMessageContaining("runs no remote command").hasMessageContaining("uptime");
        assertThatThrownBy(() -> SshCommandParser.parse("ssh -p x me@relay")).hasMessageContaining("1-65535");
        assertThatThrownBy(() -> SshCommandParser.parse("ssh -p")).hasMessageContaining("-p needs a value");
        assertThatThrownBy(() -> SshCommandParser.parse("ssh -i")).hasMessageContaining("-i needs a value");
        assertThatThrownBy(() -> SshCommandParser.parse("ssh -o")).hasMessageContaining("-o needs a value");
        assertThatThrownBy(() -> SshCommandParser.parse("ssh -p 22")).hasMessageContaining("names no relay host");
        assertThatThrownBy(() -> SshCommandParser.parse("mosh me@relay")).hasMessageContaining("must start with 'ssh'");
        assertThatThrownBy(() -> SshCommandParser.parse("ssh 'me@relay")).hasMessageContaining("unclosed");
        assertThatThrownBy(() -> SshCommandParser.parse("   ")).hasMessageContaining("empty");
        assertThatThrownBy(() -> SshCommandParser.parse("ssh @relay")).hasMessageContaining("empty user");
    }

    @Test
    void relaxedHostKeyCheckingIsRefusedNamingTheFix() {
        for (String spelling : new String[] {"-o StrictHostKeyChecking=no", "-oStrictHostKeyChecking=no",
                "-o 'stricthostkeychecking off'", "-o StrictHostKeyChecking=NO"}) {
            assertThatThrownBy(() -> SshCommandParser.parse("ssh " + spelling + " me@relay"))
                    .as(spelling).hasMessageContaining("is refused").hasMessageContaining("ssh-keyscan")
                    .hasMessageContaining("doctor");
        }
        assertThat(SshCommandParser.parse("ssh -o StrictHostKeyChecking=accept-new me@relay").options())
                .containsEntry("StrictHostKeyChecking", "accept-new"); // treated as yes: never weaker than asked
    }

    @Test
    void relayOptionTakesUserHostPort() {
        RelayTarget t = RelayAddress.parse("me@127.0.0.1:2222");
        assertThat(t.user()).isEqualTo("me");
        assertThat(t.host()).isEqualTo("127.0.0.1");
        assertThat(t.port()).isEqualTo(2222);
        assertThat(RelayAddress.parse("relay").user()).isNull();
        assertThat(RelayAddress.parse("me@[::1]:22").host()).isEqualTo("::1");
        assertThat(t.display()).isEqualTo("me@127.0.0.1:2222");
        assertThatThrownBy(() -> RelayAddress.parse("me@host:99999")).hasMessageContaining("1-65535");
        assertThatThrownBy(() -> RelayAddress.parse("-oProxyCommand=x")).hasMessageContaining("not a host");
    }
}
