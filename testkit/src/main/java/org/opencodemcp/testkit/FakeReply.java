package org.opencodemcp.testkit;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What the {@link FakeLlm} answers to one scenario. Immutable, so one reply can serve many requests.
 * Build replies with the static factories; the record variants are what {@link FakeLlm} renders.
 */
public sealed interface FakeReply
        permits FakeReply.Text, FakeReply.ToolCall, FakeReply.Error, FakeReply.Reasoning {

    /** Streams {@code pieces} as content deltas. */
    static FakeReply text(String... pieces) {
        return new Text(List.of(pieces), Duration.ZERO);
    }

    /**
     * Like {@link #text} but sleeps {@code perPiece} before each piece after the first, so tests can watch
     * a busy session, stream progress and abort. A client that disconnects just ends the stream.
     */
    static FakeReply slowText(Duration perPiece, String... pieces) {
        return new Text(List.of(pieces), perPiece);
    }

    /**
     * Asks opencode to run tool {@code toolName} with {@code argumentsJson} (e.g. {@code write} with
     * {@code {"filePath":"a.txt","content":"x"}}). When opencode calls back with the tool result, the
     * fake answers with {@code after}, which may itself be another tool call.
     */
    static FakeReply toolCall(String toolName, String argumentsJson, FakeReply after) {
        return new ToolCall(toolName, argumentsJson, after);
    }

    /**
     * An HTTP error with an OpenAI-style JSON body. 429 makes opencode retry (session status "retry"),
     * 400 ends the turn with an APIError on the assistant message.
     */
    static FakeReply error(int status, String message) {
        return new Error(status, message);
    }

    /** {@code delta.reasoning_content} (opencode shows a reasoning part), then {@code after} in the same stream. */
    static FakeReply reasoning(String reasoning, FakeReply after) {
        return new Reasoning(reasoning, after);
    }

    record Text(List<String> pieces, Duration perPiece) implements FakeReply {
        public Text {
            pieces = List.copyOf(pieces);
            Objects.requireNonNull(perPiece, "perPiece");
        }
    }

    record ToolCall(String toolName, String argumentsJson, FakeReply after) implements FakeReply {
        public ToolCall {
            Objects.requireNonNull(toolName, "toolName");
            Objects.requireNonNull(argumentsJson, "argumentsJson");
            Objects.requireNonNull(after, "after");
        }
    }

    record Error(int status, String message) implements FakeReply {
        public Error {
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("an error reply needs a 4xx/5xx status, not " + status);
            }
            Objects.requireNonNull(message, "message");
        }
    }

    record Reasoning(String reasoning, FakeReply after) implements FakeReply {
        public Reasoning {
            Objects.requireNonNull(reasoning, "reasoning");
            Objects.requireNonNull(after, "after");
            // the reasoning is already streamed with status 200, so an HTTP error can no longer follow it
            if (after instanceof Error) {
                throw new IllegalArgumentException("reasoning cannot be followed by an HTTP error");
            }
        }
    }
}
