package org.opencodemcp.server.config;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * Resolves an {@code @Option}'s fallback, written once in its {@code defaultValue} as
 * {@code ${env:NAME:-default}}, against one given environment: the option wins when it is on the
 * command line, else the variable when it is set, else the default.
 *
 * <p>Two ways in, one rule. With arguments, picocli parses them and asks {@link #provider} for every
 * option not given. Without arguments (how MCP clients start the server, often once per connection),
 * {@link ServerOptions#applyEnvironment} fills the fields directly through {@link #text}, {@link #path}
 * and {@link #number}: picocli's classes (compiled for Java 5) cannot be put in the class-data archive,
 * so parsing nothing with it cost about 150 ms of CPU per start, and reading the annotations by
 * reflection another 30 ms (a proxy class made per annotation type).
 */
public final class EnvironmentDefaults {
    private static final Pattern ENV = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?}");

    private EnvironmentDefaults() {}

    /** A setting from the environment that cannot be used; the message names it and says what is wrong. */
    public static final class BadSetting extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadSetting(String message) {
            super(message, null, false, false);
        }
    }

    /** A text option's value with no arguments: {@code env}'s variable, else the default, else {@code initial}. */
    static String text(String defaultValue, Map<String, String> env, String initial) {
        String value = resolve(defaultValue, env);
        return value != null ? value : initial;
    }

    /** A path option's value with no arguments (see {@link #text}). */
    static Path path(String defaultValue, Map<String, String> env, Path initial) {
        String value = resolve(defaultValue, env);
        return value != null ? Path.of(value) : initial;
    }

    /** A whole-number option's value with no arguments (see {@link #text}); a value that is not one names the variable. */
    static long number(String defaultValue, Map<String, String> env, long initial) {
        String value = resolve(defaultValue, env);
        if (value == null) {
            return initial;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new BadSetting(variable(defaultValue) + " must be a whole number, got '" + value + "'");
        }
    }

    /** For picocli: the value of an option that is not on the command line, from {@code env} or the default. */
    public static CommandLine.IDefaultValueProvider provider(Map<String, String> env) {
        return arg -> arg.userObject() instanceof Field f && f.getAnnotation(Option.class) != null
                ? resolve(f.getAnnotation(Option.class).defaultValue(), env) : null;
    }

    /** {@code ${env:NAME:-fallback}}: NAME's value when set, else the fallback; null for any other default (picocli's own). */
    static String resolve(String defaultValue, Map<String, String> env) {
        Matcher m = ENV.matcher(defaultValue);
        if (!m.matches()) {
            return null; // no environment fallback (e.g. --http): the field keeps its initial value
        }
        String value = env.get(m.group(1));
        return value != null ? value : m.group(2);
    }

    private static String variable(String defaultValue) {
        Matcher m = ENV.matcher(defaultValue);
        return m.matches() ? m.group(1) : "?";
    }
}
