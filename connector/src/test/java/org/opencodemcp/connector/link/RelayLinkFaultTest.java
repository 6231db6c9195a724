package org.opencodemcp.connector.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.opencodemcp.connector.config.Timing;
import org.opencodemcp.connector.opencode.Health;
import org.opencodemcp.connector.opencode.MiniHttp;
import org.opencodemcp.connector.registry.LocalRegistryStore;
import org.opencodemcp.contract.Registration;
import org.opencodemcp.connector.relay.RelayTarget;
import org.opencodemcp.connector.relay.SshConnector;
import org.opencodemcp.connector.relay.SshSetup;
import org.opencodemcp.connector.testing.MinaRelay;
import org.opencodemcp.testkit.Eventually;
import org.opencodemcp.testkit.FakeOpenCode;
import org.opencodemcp.testkit.SshClientKey;

/**
 * Faults in the relay link's start-up (issue 13): a thread interrupt arriving at each point where the
 * link waits (what JSch's stray interrupt did) must cost one attempt, never the link; a relay that can
 * be reached but refuses the registration ends in a clear give-up, an unreachable one is retried.
 */
@Timeout(60)
class RelayLinkFaultTest {

    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    MinaRelay relay;
    FakeOpenCode opencode;
    RelayLink link;
    Path registry;
    RelayTarget target;
    SshSetup setup;
    Registration base;
    final List<String> gaveUp = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        SshClientKey key = SshClientKey.generate(tmp, "ecdsa");
        relay = MinaRelay.start(tmp, key);
        Path kh = relay.writeKnownHosts(tmp.resolve("known_hosts"));
        opencode = FakeOpenCode.start(tmp.toString());
        registry = tmp.resolve("relay-side/registry");
        target = new RelayTarget("tester", "127.0.0.1", relay.port(), List.of(key.privateKey()), Map.of());
        setup = new SshSetup(Optional.empty(), Optional.of(kh), tmp, Optional.empty(), Duration.ofSeconds(5),
                Duration.ofSeconds(2), 2);
        base = new Registration("laptop-proj", "laptop", opencode.port(), opencode.port(), tmp.toString(),
                Instant.now(), null, "instance-1", FakeOpenCode.VERSION, 42L, "opencode-connected", "test");
    }

    RelayLink link(Timing timing, Consumer<StartupStep> hook) {
        link = new RelayLink(() -> SshConnector.open(target, setup), null, registry.toString(), base, Optional.empty(),
                t -> Health.parse(MiniHttp.getLocal(opencode.port(), "/global/health", Optional.empty(), t)), timing,
                Clock.systemUTC(), false, hook);
        link.onGiveUp(gaveUp::add);
        return link;
    }

    static Timing fast() {
        return Timing.defaults().withHeartbeat(Duration.ofMillis(300))
                .withReconnect(Duration.ofMillis(100), Duration.ofMillis(400)).withStopTimeout(Duration.ofSeconds(5));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (link != null) {
            link.close();
        }
        relay.close();
        opencode.close();
    }

    Optional<Registration> onRelay() throws Exception {
        return new LocalRegistryStore(registry).read("laptop-proj");
    }

    @ParameterizedTest
    @EnumSource(StartupStep.class)
    void anInterruptAtEachStartupWaitCostsOneAttemptThenTheLinkReconnectsAndRegisters(StartupStep faulty)
            throws Exception {
        Map<StartupStep, AtomicInteger> entered = new ConcurrentHashMap<>();
        link(fast(), step -> {
            int n = entered.computeIfAbsent(step, k -> new AtomicInteger()).incrementAndGet();
            if (step == faulty && n == 1) {
                Thread.currentThread().interrupt(); // the link's own thread, just as it starts to wait
            }
        }).start();
        Eventually.await(WAIT, () -> assertThat(link.registrations()).isEqualTo(1));
        // the interrupted attempt failed and a fresh login followed, instead of the link ending; except the
        // first round trip, where JSch's Channel.connect swallows the interrupt and reports "channel is not
        // opened", which the link retries on the same session
        int logins = faulty == StartupStep.ROUND_TRIP ? 1 : 2;
        assertThat(entered.get(StartupStep.LOGIN).get()).as("logins").isEqualTo(logins);
        assertThat(entered.get(faulty).get()).as("times at " + faulty).isEqualTo(2);
        Registration r = onRelay().orElseThrow();
        assertThat(r.port()).isEqualTo(link.current().orElseThrow().port());
        assertThat(Health.parse(MiniHttp.getLocal(r.port(), "/global/health", Optional.empty(), Duration.ofSeconds(5)))
                .healthy()).isTrue();
        // still there and heartbeated afterwards: nothing was left pending on the thread
        Eventually.await(WAIT, () -> assertThat(onRelay().orElseThrow().heartbeatAt()).isAfter(r.heartbeatAt()));
        assertThat(link.registrations()).isEqualTo(1);
        assertThat(gaveUp).isEmpty();
    }

    @Test
    void anInterruptWhileRegisteredIsNotAStop() throws Exception {
        link(fast(), step -> { }).start();
        Eventually.await(WAIT, () -> assertThat(link.registrations()).isEqualTo(1));
        Thread linkThread = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("opencode-connected-relay")).findFirst().orElseThrow();
        Instant before = onRelay().orElseThrow().heartbeatAt();
        for (int i = 0; i < 5; i++) {
            linkThread.interrupt();
            Thread.sleep(50);
        }
        Eventually.await(WAIT, () -> assertThat(onRelay().orElseThrow().heartbeatAt()).isAfter(before));
        assertThat(linkThread.isAlive()).isTrue();
        assertThat(link.state()).startsWith("registered");
    }

    @Test
    void aRelayThatRefusesTheRegistrationEndsInAGiveUpWithTheReason() throws Exception {
        relay.restartWithSftp(false);
        link(fast().withGiveUpAfter(Duration.ofSeconds(2)), step -> { }).start();
        assertThat(link.state()).contains("reconnecting", "Subsystem sftp");
        Eventually.await(WAIT, () -> assertThat(gaveUp).hasSize(1));
        assertThat(gaveUp.get(0)).contains("refused the registration", "Subsystem sftp");
        assertThat(link.state()).startsWith("gave up");
        assertThat(link.current()).isEmpty();
    }

    @Test
    void anUnreachableRelayIsRetriedVisiblyNotGivenUp() throws Exception {
        relay.stop();
        link(fast().withGiveUpAfter(Duration.ofMillis(500)), step -> { }).start();
        Thread.sleep(2000);
        assertThat(gaveUp).isEmpty();
        assertThat(link.state()).contains("reconnecting", "Cannot connect to the relay");
        relay.restart();
        Eventually.await(WAIT, () -> assertThat(link.registrations()).isEqualTo(1));
        assertThat(onRelay()).isPresent();
    }
}
