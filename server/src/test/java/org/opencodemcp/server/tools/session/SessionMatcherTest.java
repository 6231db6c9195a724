package org.opencodemcp.server.tools.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.opencodemcp.server.opencode.SessionInfo;
import org.opencodemcp.server.tools.ToolError;

class SessionMatcherTest {
    // real ids share long time-based prefixes (newer ids are smaller)
    static final SessionInfo PARSER = session("ses_e00af7674ffeRu421xcuXqJCko", "Refactor the parser", null, 300);
    static final SessionInfo LEXER = session("ses_e00af7674ffdAb12cdEfGhIjKl", "Refactor the lexer", null, 200);
    static final SessionInfo DOCS = session("ses_e009aaaa0ffeZZZZZZZZZZZZZZ", "Write docs", null, 100);
    static final SessionInfo CHILD = session("ses_e0001111aaaaBBBBBBBBBBBBBB", "subagent task", PARSER.id(), 900);
    static final List<SessionInfo> ALL = List.of(CHILD, PARSER, LEXER, DOCS);

    static SessionInfo session(String id, String title, String parent, long updated) {
        return new SessionInfo(id, title, "/proj", parent, 1, updated, "build", null);
    }

    @Test
    void fullIdPrefixAndTitleMatch() {
        assertThat(SessionMatcher.resolve(PARSER.id(), ALL, "i")).isEqualTo(PARSER);
        assertThat(SessionMatcher.resolve("ses_e009", ALL, "i")).isEqualTo(DOCS);
        assertThat(SessionMatcher.resolve("ses_e00af7674ffd", ALL, "i")).isEqualTo(LEXER);
        assertThat(SessionMatcher.resolve("the LEXER", ALL, "i")).isEqualTo(LEXER);
        assertThat(SessionMatcher.resolve("  docs ", ALL, "i")).isEqualTo(DOCS);
    }

    @Test
    void ambiguousPrefixListsIdsLongEnoughToTellApart() {
        assertThatThrownBy(() -> SessionMatcher.resolve("ses_e00af", ALL, "i"))
                .isInstanceOfSatisfying(ToolError.class, e -> {
                    assertThat(e.getMessage()).contains("matches 2 sessions")
                            .contains("ses_e00af7674ffe (Refactor the parser), ses_e00af7674ffd (Refactor the lexer).");
                });
    }

    @Test
    void ambiguousTitleIsAnErrorNotAGuess() {
        assertThatThrownBy(() -> SessionMatcher.resolve("refactor", ALL, "i"))
                .isInstanceOfSatisfying(ToolError.class, e -> assertThat(e.getMessage())
                        .contains("(Refactor the parser)").contains("(Refactor the lexer)").doesNotContain("(Write docs)"));
    }

    @Test
    void unknownSessionListsTheChoices() {
        assertThatThrownBy(() -> SessionMatcher.resolve("nothing like it", ALL, "laptop"))
                .isInstanceOfSatisfying(ToolError.class, e -> {
                    assertThat(e.getMessage()).contains("laptop").contains("Write docs").contains("list_sessions");
                });
        assertThatThrownBy(() -> SessionMatcher.resolve("x", List.of(), "laptop"))
                .isInstanceOf(ToolError.class).hasMessageContaining("create_session");
    }

    @Test
    void shownIdLengthIsUniqueAndAtLeastTwelve() {
        assertThat(SessionMatcher.shownIdLength(List.of(DOCS))).isEqualTo(12);
        int len = SessionMatcher.shownIdLength(ALL);
        assertThat(len).isEqualTo("ses_e00af7674ffe".length());
        assertThat(ALL.stream().map(s -> s.id().substring(0, len)).distinct()).hasSize(ALL.size());
    }

    @Test
    void mostRecentSkipsSubSessions() {
        assertThat(SessionMatcher.mostRecent(ALL)).isEqualTo(PARSER);
        assertThat(SessionMatcher.mostRecent(List.of(CHILD))).isNull();
    }
}
