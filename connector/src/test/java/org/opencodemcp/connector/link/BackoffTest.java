package org.opencodemcp.connector.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesUpToTheCapWithJitterInTheUpperHalf() {
        Backoff low = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10), () -> 0.0);
        assertThat(low.next()).isEqualTo(Duration.ofMillis(500));
        assertThat(low.next()).isEqualTo(Duration.ofMillis(1000));
        assertThat(low.next()).isEqualTo(Duration.ofMillis(2000));
        assertThat(low.next()).isEqualTo(Duration.ofMillis(4000));
        assertThat(low.next()).isEqualTo(Duration.ofMillis(5000)); // capped step 10 s, lower half cut
        Backoff high = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10), () -> 0.999);
        for (int i = 0; i < 40; i++) {
            assertThat(high.next()).isLessThanOrEqualTo(Duration.ofSeconds(10));
        }
        low.reset();
        assertThat(low.next()).isEqualTo(Duration.ofMillis(500));
    }
}
