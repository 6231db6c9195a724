package org.opencodemcp.server.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads one line of strict JSON into the tree {@code ObjectMapper.readTree} would make, without
 * Jackson's parser. Why: on JDK 25 Jackson's first parser initializes {@code BigDecimal}, whose class
 * set-up computes 5^65536 (17-40 ms of a cold, C1-only JVM), and stdin's first line is on the path to
 * the first answer ({@link EarlyInitialize}; plans/performance.md).
 *
 * <p>Strict and small on purpose: RFC 8259 JSON, nested at most {@link #MAX_DEPTH} deep, in valid
 * UTF-8, numbers of at most {@link #MAX_NUMBER_CHARS} characters, nothing after the value but
 * whitespace. Anything else, including what Jackson would accept or refuse, gives {@code null}, and
 * the line takes the usual path through the SDK. Numbers as readTree
 * makes them: an int, a long or a BigInteger, and a double for a fraction or an exponent.
 */
final class PlainJsonReader {
    static final int MAX_DEPTH = 32;
    /** Longest number literal taken (Jackson's own limit is 1,000 characters; a request's are short). */
    static final int MAX_NUMBER_CHARS = 64;

    private final String text;
    private int at;

    private PlainJsonReader(String text) {
        this.text = text;
    }

    /** The tree of {@code utf8}, or null when it is not one strict JSON value (see the class comment). */
    static JsonNode read(byte[] utf8) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(utf8)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        PlainJsonReader reader = new PlainJsonReader(text);
        try {
            JsonNode value = reader.value(0);
            reader.skipWhitespace();
            return reader.at == text.length() ? value : null;
        } catch (NotPlain e) {
            return null;
        }
    }

    /** Thrown anywhere the text leaves the strict grammar; never escapes {@link #read}. */
    private static final class NotPlain extends Exception {
        private static final long serialVersionUID = 1L;

        NotPlain() {
            super(null, null, false, false);
        }
    }

    private JsonNode value(int depth) throws NotPlain {
        skipWhitespace();
        char c = peek();
        JsonNodeFactory f = JsonNodeFactory.instance;
        switch (c) {
            case '{' -> {
                return object(depth + 1);
            }
            case '[' -> {
                return array(depth + 1);
            }
            case '"' -> {
                return f.textNode(string());
            }
            case 't' -> {
                word("true");
                return f.booleanNode(true);
            }
            case 'f' -> {
                word("false");
                return f.booleanNode(false);
            }
            case 'n' -> {
                word("null");
                return f.nullNode();
            }
            default -> {
                if (c == '-' || c >= '0' && c <= '9') {
                    return number();
                }
                throw new NotPlain();
            }
        }
    }

    private ObjectNode object(int depth) throws NotPlain {
        if (depth > MAX_DEPTH) {
            throw new NotPlain();
        }
        at++; // {
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        skipWhitespace();
        if (peek() == '}') {
            at++;
            return object;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw new NotPlain();
            }
            String name = string();
            skipWhitespace();
            expect(':');
            object.set(name, value(depth)); // a repeated name: the last value wins, as in readTree
            skipWhitespace();
            if (peek() == '}') {
                at++;
                return object;
            }
            expect(',');
        }
    }

    private ArrayNode array(int depth) throws NotPlain {
        if (depth > MAX_DEPTH) {
            throw new NotPlain();
        }
        at++; // [
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        skipWhitespace();
        if (peek() == ']') {
            at++;
            return array;
        }
        while (true) {
            array.add(value(depth));
            skipWhitespace();
            if (peek() == ']') {
                at++;
                return array;
            }
            expect(',');
        }
    }

    private String string() throws NotPlain {
        at++; // "
        StringBuilder out = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                throw new NotPlain(); // a raw control character
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> out.append(hex4());
                default -> throw new NotPlain();
            }
        }
    }

    private char hex4() throws NotPlain {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            char c = next();
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0) {
                throw new NotPlain(); // ASCII hex digits only (Character.digit would take other scripts' digits)
            }
            v = v << 4 | d;
        }
        return (char) v;
    }

    private JsonNode number() throws NotPlain {
        int start = at;
        if (peek() == '-') {
            at++;
        }
        if (peek() == '0') {
            at++;
        } else {
            digits();
        }
        boolean integral = true;
        if (at < text.length() && text.charAt(at) == '.') {
            at++;
            digits();
            integral = false;
        }
        if (at < text.length() && (text.charAt(at) == 'e' || text.charAt(at) == 'E')) {
            at++;
            if (at < text.length() && (text.charAt(at) == '+' || text.charAt(at) == '-')) {
                at++;
            }
            digits();
            integral = false;
        }
        if (at - start > MAX_NUMBER_CHARS) {
            throw new NotPlain();
        }
        String literal = text.substring(start, at);
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (!integral) {
            double d = Double.parseDouble(literal);
            if (Double.isInfinite(d)) {
                throw new NotPlain(); // readTree would need a BigDecimal or refuse: not plain
            }
            return f.numberNode(d);
        }
        BigInteger big = new BigInteger(literal);
        if (big.bitLength() < 32) {
            return f.numberNode(big.intValue());
        }
        return big.bitLength() < 64 ? f.numberNode(big.longValue()) : f.numberNode(big);
    }

    private void digits() throws NotPlain {
        int start = at;
        while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
            at++;
        }
        if (at == start) {
            throw new NotPlain();
        }
    }

    private void word(String word) throws NotPlain {
        if (!text.startsWith(word, at)) {
            throw new NotPlain();
        }
        at += word.length();
    }

    private void expect(char c) throws NotPlain {
        if (peek() != c) {
            throw new NotPlain();
        }
        at++;
    }

    private char peek() throws NotPlain {
        if (at >= text.length()) {
            throw new NotPlain();
        }
        return text.charAt(at);
    }

    private char next() throws NotPlain {
        char c = peek();
        at++;
        return c;
    }

    private void skipWhitespace() {
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            at++;
        }
    }
}
