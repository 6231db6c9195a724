package org.opencodemcp.server.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.opencodemcp.contract.Registration;
import org.opencodemcp.server.instance.InstanceState;
import org.opencodemcp.server.support.Registrations;

class RegistrationChangeTest {
    private static final Instant MODIFIED = Instant.parse("2026-01-01T12:00:00Z");

    @Test
    void aFirstValidReadIsANewTarget() {
        RegistrationChange.Next next = RegistrationChange.of(content("alpha", 4100, "/work/a"), false, null, InstanceState.PROBING);
        assertThat(next).isInstanceOf(RegistrationChange.NewTarget.class);
        Registration reg = ((RegistrationChange.NewTarget) next).registration();
        assertThat(reg.name()).isEqualTo("alpha");
        assertThat(reg.port()).isEqualTo(4100);
        assertThat(reg.cwd()).isEqualTo("/work/a");
    }

    @Test
    void theSameBytesAlreadyUnderstoodChangeNothing() {
        Registration before = registration("alpha", 4100, "/work/a");
        assertThat(RegistrationChange.of(content("alpha", 4100, "/work/a"), true, before, InstanceState.ONLINE))
                .isEqualTo(new RegistrationChange.Unchanged());
    }

    @Test
    void theSameBytesWithoutARegistrationAreReadAgain() {
        // an entry made invalid by its credentials file keeps its stamp but has no registration
        assertThat(RegistrationChange.of(content("alpha", 4100, "/work/a"), true, null, InstanceState.INVALID))
                .isInstanceOf(RegistrationChange.NewTarget.class);
    }

    @Test
    void aRewriteOfTheSameTargetIsAHeartbeat() {
        Registration before = registration("alpha", 4100, "/work/a");
        for (InstanceState s : new InstanceState[] {InstanceState.ONLINE, InstanceState.PROBING, InstanceState.UNREACHABLE}) {
            assertThat(RegistrationChange.of(content("alpha", 4100, "/work/a"), false, before, s)).as(s.label())
                    .isInstanceOf(RegistrationChange.Heartbeat.class);
        }
    }

    @Test
    void anotherPortDirectoryOrNameIsANewTarget() {
        Registration before = registration("alpha", 4100, "/work/a");
        assertThat(RegistrationChange.of(content("alpha", 4101, "/work/a"), false, before, InstanceState.ONLINE))
                .isInstanceOf(RegistrationChange.NewTarget.class);
        assertThat(RegistrationChange.of(content("alpha", 4100, "/work/b"), false, before, InstanceState.ONLINE))
                .isInstanceOf(RegistrationChange.NewTarget.class);
        assertThat(RegistrationChange.of(content("beta", 4100, "/work/a"), false, before, InstanceState.ONLINE))
                .isInstanceOf(RegistrationChange.NewTarget.class);
    }

    @Test
    void theSameTargetOfAnInvalidEntryIsRebuilt() {
        Registration before = registration("alpha", 4100, "/work/a");
        assertThat(RegistrationChange.of(content("alpha", 4100, "/work/a"), false, before, InstanceState.INVALID))
                .isInstanceOf(RegistrationChange.NewTarget.class);
    }

    @Test
    void badBytesAndUnreadableFilesAreInvalidWithTheReason() {
        RegistrationChange.Next junk = RegistrationChange.of(
                new RegistryFile.Content("not json".getBytes(StandardCharsets.UTF_8), MODIFIED), false, null, InstanceState.PROBING);
        assertThat(junk).isInstanceOf(RegistrationChange.Invalid.class);
        assertThat(((RegistrationChange.Invalid) junk).reason()).isNotBlank();
        assertThat(RegistrationChange.of(new RegistryFile.Problem("larger than 64 KiB", MODIFIED), false,
                registration("alpha", 4100, "/work/a"), InstanceState.ONLINE))
                .isEqualTo(new RegistrationChange.Invalid("larger than 64 KiB"));
    }

    @Test
    void aVanishedFileIsNotAChangeOfAnEntry() {
        assertThatThrownBy(() -> RegistrationChange.of(new RegistryFile.Gone(), false, null, InstanceState.PROBING))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static RegistryFile.Content content(String name, int port, String cwd) {
        return new RegistryFile.Content(Registrations.json(name, port, cwd).getBytes(StandardCharsets.UTF_8), MODIFIED);
    }

    private static Registration registration(String name, int port, String cwd) {
        RegistrationChange.Next next = RegistrationChange.of(content(name, port, cwd), false, null, InstanceState.PROBING);
        return ((RegistrationChange.NewTarget) next).registration();
    }
}
