package org.opencodemcp.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RefusalLogTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final List<String> lines = new ArrayList<>();
    private final RefusalLog log = new RefusalLog(now::get, lines::add);

    @Test
    void aFloodIsOneLineAMinuteWithTheCount() {
        for (int i = 0; i < 1000; i++) {
            log.refused(i % 2 == 0 ? 401 : 403, "POST /mcp from 10.0.0." + (i % 250));
            now.addAndGet(50_000_000L); // 20 a second: 50 s in all
        }
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).startsWith("refused 401 POST /mcp from 10.0.0.0").contains("at most once a minute");

        now.addAndGet(RefusalLog.PERIOD_NANOS);
        log.refused(413, "POST /mcp from 10.0.0.9: body over the size limit");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).startsWith("refused 1000 requests in the last ")
                .contains("499 x 401, 500 x 403, 1 x 413").endsWith("latest: 413 POST /mcp from 10.0.0.9: body over the size limit");
        assertThat(log.pending()).isZero();

        log.refused(401, "GET / from 10.0.0.1");
        assertThat(lines).hasSize(2);
        assertThat(log.pending()).isEqualTo(1);
    }
}
