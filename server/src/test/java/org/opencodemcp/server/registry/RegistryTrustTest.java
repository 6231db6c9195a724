package org.opencodemcp.server.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opencodemcp.server.OpenCodeMcpServer;
import org.opencodemcp.server.config.Settings;
import org.opencodemcp.server.instance.InstanceState;
import org.opencodemcp.server.instance.InstanceView;
import org.opencodemcp.server.opencode.Credentials;
import org.opencodemcp.server.support.ForeignListener;
import org.opencodemcp.server.support.Ownership;
import org.opencodemcp.server.support.Registrations;
import org.opencodemcp.testkit.Eventually;
import org.opencodemcp.testkit.FakeOpenCode;
import org.opencodemcp.testkit.TempDirs;

/**
 * Issue 11, server side: files of other accounts are never believed, and each instance's secret
 * goes only to its own port. The fakes record every request they get.
 */
class RegistryTrustTest {
    private static final Duration SOON = Duration.ofSeconds(3);
    private static final Credentials ALICE = new Credentials("opencode", "alice-secret-0123456789");
    private static final Credentials MALLORY = new Credentials("opencode", "mallory-secret-987654321");
    private static final Credentials RELAY_WIDE = new Credentials("opencode", "relay-wide-password");

    private Path dir;
    private InstanceRegistry registry;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void setUp() {
        dir = TempDirs.create("registry-");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (registry != null) {
            registry.close();
        }
        for (AutoCloseable c : toClose) {
            c.close();
        }
        TempDirs.deleteRecursively(dir);
    }

    private void startRegistry(Credentials serverWide) {
        Settings settings = new Settings(dir, Duration.ofMillis(300), Duration.ofMillis(800), Duration.ofMinutes(10),
                Duration.ofSeconds(5), Duration.ofSeconds(10), serverWide);
        registry = OpenCodeMcpServer.newRegistry(settings, new ObjectMapper());
        registry.start();
        registry.firstScan().join();
    }

    private FakeOpenCode fake(String cwd) {
        FakeOpenCode f = FakeOpenCode.start(cwd);
        toClose.add(f);
        return f;
    }

    private Optional<InstanceView> view(String file) {
        return registry.snapshot().instances().stream().filter(v -> v.file().equals(file)).findFirst();
    }

    private void awaitState(String file, InstanceState state) {
        Eventually.await(SOON, () -> assertThat(view(file)).hasValueSatisfying(v -> assertThat(v.state()).isEqualTo(state)));
    }

    @Test
    void aRegistrationOwnedByAnotherUserIsInvalidAndNeverProbed() throws Exception {
        Ownership.assumeCanChown();
        startRegistry(RELAY_WIDE);
        FakeOpenCode planted = fake("/work/alice");
        // chowned while hidden, then renamed into place: the watching registry must never see it as ours
        Path hidden = Registrations.writeRaw(dir, ".alice-laptop.json.staging",
                Registrations.json("alice-laptop", planted.port(), "/work/alice"));
        Ownership.giveToOtherUser(hidden);
        Files.move(hidden, dir.resolve("alice-laptop.json"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        registry.refresh().join();
        awaitState("alice-laptop.json", InstanceState.INVALID);
        assertThat(view("alice-laptop.json").orElseThrow().reason()).startsWith("owned by uid " + Ownership.OTHER_UID);
        Thread.sleep(700); // two more rescans
        assertThat(planted.requests()).as("not even a health probe, so not the relay-wide password either").isEmpty();
    }

    @Test
    void aPortHeldByAnotherUserGetsNeitherTheSecretNorAProbe() throws Exception {
        Ownership.assumeCanChown();
        startRegistry(RELAY_WIDE);
        try (ForeignListener thief = ForeignListener.start()) {
            Ownership.writeAuth(dir, "alice-laptop", "opencode:" + ALICE.password());
            // Alice's tunnel died and a co-tenant bound the port her registration still names
            Registrations.write(dir, "alice-laptop", thief.port(), "/work/alice");
            awaitState("alice-laptop.json", InstanceState.MISMATCH);
            assertThat(view("alice-laptop.json").orElseThrow().reason()).contains("held by uid " + Ownership.OTHER_UID)
                    .contains("changed hands");
            registry.refresh().join();
            Thread.sleep(500);
            assertThat(thief.received()).as("no request at all, so no Authorization header").isEmpty();
        }
    }

    @Test
    void eachInstanceGetsOnlyItsOwnSecretAndAHijackedPortNeverSeesAnotherOne() throws Exception {
        startRegistry(RELAY_WIDE);
        FakeOpenCode alice = fake("/work/alice").requireAuthorization(ALICE.authorizationHeader());
        FakeOpenCode mallory = fake("/work/mallory");
        Ownership.writeAuth(dir, "alice-laptop", "opencode:" + ALICE.password() + "\n");
        Registrations.write(dir, "alice-laptop", alice.port(), "/work/alice");
        Ownership.writeAuth(dir, "mallory-box", "opencode:" + MALLORY.password());
        Registrations.write(dir, "mallory-box", mallory.port(), "/work/mallory");
        // an old-style registration without .auth: the relay-wide password, and only that
        FakeOpenCode legacy = fake("/work/legacy");
        Registrations.write(dir, "legacy", legacy.port(), "/work/legacy");
        awaitState("alice-laptop.json", InstanceState.ONLINE);
        awaitState("mallory-box.json", InstanceState.ONLINE);
        awaitState("legacy.json", InstanceState.ONLINE);

        // mallory's registration now claims alice's name too (a hijack attempt): neither is routed to
        Registrations.writeRaw(dir, "mallory-box.json", Registrations.json("alice-laptop", mallory.port(), "/work/mallory"));
        awaitState("mallory-box.json", InstanceState.INVALID);
        registry.refresh().join();

        assertThat(alice.requests()).isNotEmpty()
                .allSatisfy(r -> assertThat(r.header("Authorization")).isEqualTo(ALICE.authorizationHeader()));
        assertThat(mallory.requests()).isNotEmpty()
                .allSatisfy(r -> assertThat(r.header("Authorization")).isEqualTo(MALLORY.authorizationHeader()));
        assertThat(legacy.requests()).isNotEmpty()
                .allSatisfy(r -> assertThat(r.header("Authorization")).isEqualTo(RELAY_WIDE.authorizationHeader()));
    }

    @Test
    void aCredentialsFileReadableByOthersMakesTheInstanceInvalidUntilFixed() throws Exception {
        startRegistry(RELAY_WIDE);
        FakeOpenCode alice = fake("/work/alice").requireAuthorization(ALICE.authorizationHeader());
        Path auth = Ownership.chmod(Ownership.writeAuth(dir, "alice-laptop", "opencode:" + ALICE.password()), "rw-r--r--");
        Registrations.write(dir, "alice-laptop", alice.port(), "/work/alice");
        awaitState("alice-laptop.json", InstanceState.INVALID);
        assertThat(view("alice-laptop.json").orElseThrow().reason()).contains("alice-laptop.auth").contains("mode 0644")
                .doesNotContain(ALICE.password());
        Thread.sleep(700);
        assertThat(alice.requests()).as("neither her secret nor the relay-wide password").isEmpty();

        Ownership.chmod(auth, "rw-------");
        awaitState("alice-laptop.json", InstanceState.ONLINE);
        assertThat(alice.requests()).allSatisfy(r -> assertThat(r.header("Authorization")).isEqualTo(ALICE.authorizationHeader()));
    }

    @Test
    void aRegistryDirectoryThatTurnsWorldWritableStopsBeingReadAndSaysSoOnce() throws Exception {
        startRegistry(null);
        FakeOpenCode a = fake("/work/a");
        Registrations.write(dir, "a", a.port(), "/work/a");
        awaitState("a.json", InstanceState.ONLINE);

        Ownership.chmod(dir, "rwxrwxrwx");
        Eventually.await(SOON, () -> assertThat(registry.directoryProblem()).contains("mode 0777"));
        FakeOpenCode b = fake("/work/b");
        Registrations.write(dir, "b", b.port(), "/work/b");
        Thread.sleep(700);
        assertThat(view("b.json")).as("nothing new is believed while others can write there").isEmpty();
        assertThat(b.requests()).isEmpty();

        Ownership.chmod(dir, "rwx------");
        Eventually.await(SOON, () -> assertThat(registry.directoryProblem()).isNull());
        awaitState("b.json", InstanceState.ONLINE);
        assertThat(Files.exists(dir.resolve("b.json"))).isTrue();
    }
}
