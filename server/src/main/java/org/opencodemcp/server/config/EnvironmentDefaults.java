package org.opencodemcp.server.config;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * Fills a command's {@code @Option} fields from their {@code defaultValue} expressions
 * ({@code ${env:NAME:-fallback}}) without starting picocli.
 *
 * <p>Why: MCP clients start the server with no arguments, often once per connection, and picocli's
 * classes (compiled for Java 5) cannot be put in the class-data archive, so parsing nothing with it
 * costs about 150 ms of CPU per start. The annotations stay the one place where names and defaults
 * are written; with arguments, picocli reads them as usual.
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

    public static void apply(Object command, Map<String, String> env) {
        for (Field field : command.getClass().getDeclaredFields()) {
            Option option = field.getAnnotation(Option.class);
            if (option == null) {
                continue;
            }
            Matcher m = ENV.matcher(option.defaultValue());
            if (!m.matches()) {
                continue; // no environment default (e.g. --http): the field keeps its initial value
            }
            String name = m.group(1);
            String value = env.get(name);
            if (value == null) {
                value = m.group(2);
            }
            if (value == null) {
                continue;
            }
            set(command, field, name, value);
        }
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
