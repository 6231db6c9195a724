package org.opencodemcp.server.tools.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opencodemcp.server.opencode.OpenCodeEvent;

class TurnWatcherTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final List<String> streamed = new ArrayList<>();
    final TurnWatcher watcher = new TurnWatcher("ses_A", streamed::add);

    static OpenCodeEvent event(String type, String propertiesJson) throws Exception {
        return new OpenCodeEvent(type, JSON.readTree(propertiesJson));
    }

    void feed(String type, String json) throws Exception {
        watcher.onEvent(event(type, json));
    }

    @Test
    void streamsOnlyTheTextOfItsOwnTurnAndEndsOnIdle() throws Exception {
        feed("session.idle", "{\"sessionID\":\"ses_A\"}"); // late idle of the previous turn: ignored
        assertThat(watcher.outcome()).isNotDone();
        feed("message.updated", "{\"sessionID\":\"ses_A\",\"info\":{\"id\":\"msg_u\",\"role\":\"user\",\"sessionID\":\"ses_A\"}}");
        feed("message.updated", "{\"sessionID\":\"ses_A\",\"info\":{\"id\":\"msg_a\",\"role\":\"assistant\",\"parentID\":\"msg_u\",\"sessionID\":\"ses_A\"}}");
        feed("message.part.updated", "{\"sessionID\":\"ses_A\",\"part\":{\"id\":\"prt_r\",\"type\":\"reasoning\",\"messageID\":\"msg_a\",\"sessionID\":\"ses_A\"}}");
        feed("message.part.delta", "{\"sessionID\":\"ses_A\",\"messageID\":\"msg_a\",\"partID\":\"prt_r\",\"field\":\"text\",\"delta\":\"thinking\"}");
        feed("message.part.updated", "{\"sessionID\":\"ses_A\",\"part\":{\"id\":\"prt_t\",\"type\":\"text\",\"messageID\":\"msg_a\",\"sessionID\":\"ses_A\",\"text\":\"\"}}");
        feed("message.part.delta", "{\"sessionID\":\"ses_A\",\"messageID\":\"msg_a\",\"partID\":\"prt_t\",\"field\":\"text\",\"delta\":\"Hel\"}");
        // another session's turn streaming at the same time
        feed("message.part.delta", "{\"sessionID\":\"ses_B\",\"messageID\":\"msg_b\",\"partID\":\"prt_b\",\"field\":\"text\",\"delta\":\"XXX\"}");
        feed("message.part.delta", "{\"sessionID\":\"ses_A\",\"messageID\":\"msg_a\",\"partID\":\"prt_t\",\"field\":\"text\",\"delta\":\"lo\"}");
        feed("session.idle", "{\"sessionID\":\"ses_B\"}");
        assertThat(watcher.outcome()).isNotDone();
        feed("session.status", "{\"sessionID\":\"ses_A\",\"status\":{\"type\":\"idle\"}}");

        assertThat(streamed).containsExactly("Hel", "lo");
        assertThat(watcher.streamedText()).isEqualTo("Hello");
        assertThat(watcher.userMessageId()).isEqualTo("msg_u");
        assertThat(watcher.outcome().getNow(null).stop()).isEqualTo(TurnWatcher.Stop.DONE);
    }

    @Test
    void permissionInTheSessionOrASubSessionEndsTheWaitEarly() throws Exception {
        feed("session.created", "{\"sessionID\":\"ses_child\",\"info\":{\"id\":\"ses_child\",\"parentID\":\"ses_A\"}}");
        feed("permission.asked", "{\"id\":\"per_other\",\"sessionID\":\"ses_B\",\"permission\":\"bash\"}");
        assertThat(watcher.outcome()).isNotDone();
        feed("permission.asked", "{\"id\":\"per_1\",\"sessionID\":\"ses_child\",\"permission\":\"bash\",\"patterns\":[\"ls\"]}");
        TurnWatcher.Outcome o = watcher.outcome().getNow(null);
        assertThat(o.stop()).isEqualTo(TurnWatcher.Stop.PERMISSION);
        assertThat(o.permission().id()).isEqualTo("per_1");
    }

    @Test
    void sessionErrorsAreKeptAndAClosedStreamEndsTheWait() throws Exception {
        feed("session.error", "{\"sessionID\":\"ses_A\",\"error\":{\"name\":\"UnknownError\",\"data\":{\"message\":\"Model not found: nope/x\"}}}");
        feed("session.idle", "{\"sessionID\":\"ses_A\"}");
        assertThat(watcher.errors()).containsExactly("UnknownError: Model not found: nope/x");
        assertThat(watcher.outcome().getNow(null).stop()).isEqualTo(TurnWatcher.Stop.DONE);

        TurnWatcher other = new TurnWatcher("ses_C", d -> {});
        other.onClosed(null);
        assertThat(other.outcome().getNow(null).stop()).isEqualTo(TurnWatcher.Stop.STREAM_LOST);
    }
}
