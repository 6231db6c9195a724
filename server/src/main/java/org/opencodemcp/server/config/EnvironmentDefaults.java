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
 * {@link #apply} fills the fields directly: picocli's classes (compiled for Java 5) cannot be put in
 * the class-data archive, so parsing nothing with it costs about 150 ms of CPU per start.
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

    /** Fills every {@code @Option} field of {@code command} that has an environment fallback, as picocli would with no arguments. */
    public static void apply(Object command, Map<String, String> env) {
        for (Field field : command.getClass().getDeclaredFields()) {
            Option option = field.getAnnotation(Option.class);
            String value = option == null ? null : resolve(option.defaultValue(), env);
            if (value != null) {
                set(command, field, variable(option.defaultValue()), value);
            }
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

    private static void set(Object command, Field field, String name, String value) {
        Object converted;
        Class<?> type = field.getType();
        if (type == String.class) {
            converted = value;
        } else if (type == Path.class) {
            converted = Path.of(value);
        } else if (type == long.class) {
            try {
                converted = Long.parseLong(value.trim());
            } catch (NumberFormatException e) {
                throw new BadSetting(name + " must be a whole number, got '" + value + "'");
            }
        } else {
            throw new IllegalStateException("no environment conversion for " + type + " (" + field.getName() + ")");
        }
        try {
            field.setAccessible(true);
            field.set(command, converted);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
