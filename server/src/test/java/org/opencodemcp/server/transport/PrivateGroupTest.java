package org.opencodemcp.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** When group-read on the token file lets nobody else read it, and when it does. */
class PrivateGroupTest {
    static final List<String> PASSWD = List.of(
            "root:x:0:0:root:/root:/bin/bash",
            "alice:x:1000:1000:Alice:/home/alice:/bin/bash",
            "bob:x:1001:100::/home/bob:/bin/sh",
            "carol:x:1002:100::/home/carol:/bin/sh",
            "relay:x:10001:10001::/home/relay:/usr/sbin/nologin");

    @Test
    void aUserPrivateGroupWithNoOtherMembersIsOwn() {
        List<String> group = List.of("root:x:0:", "alice:x:1000:", "users:x:100:bob,carol");
        assertThat(PrivateGroup.isOwn(1000, 1000, 1000, group, PASSWD)).isTrue();
    }

    @Test
    void aContainersFsGroupMissingFromTheAccountFilesIsOwn() {
        // Kubernetes: the Secret is root:10001 0440, the process runs as 10001:10001 and /etc/group has no 10001
        assertThat(PrivateGroup.isOwn(10001, 10001, 10001, List.of("root:x:0:"), PASSWD)).isTrue();
        assertThat(PrivateGroup.isOwn(20002, 20002, 20002, List.of(), List.of())).isTrue();
    }

    @Test
    void aGroupWithMembersOrAnotherAccountsPrimaryGroupIsShared() {
        List<String> group = List.of("users:x:100:bob,carol", "alice:x:1000:mallory", "relay:x:10001:relay");
        assertThat(PrivateGroup.isOwn(100, 1001, 100, group, PASSWD)).as("carol is in bob's primary group").isFalse();
        assertThat(PrivateGroup.isOwn(1000, 1000, 1000, group, PASSWD)).as("mallory is a member").isFalse();
        assertThat(PrivateGroup.isOwn(10001, 10001, 10001, group, PASSWD)).as("only itself listed").isTrue();
    }

    @Test
    void aGroupThatIsNotTheProcesssOwnIsShared() {
        assertThat(PrivateGroup.isOwn(0, 1000, 1000, List.of("root:x:0:"), PASSWD)).isFalse();
    }

    @Test
    void garbledLinesAreIgnoredNotFatal() {
        assertThat(PrivateGroup.isOwn(1000, 1000, 1000, List.of("", "::", "alice"), List.of("#", "alice:x:1000:1000::/:/bin/sh")))
                .isTrue();
    }
}
