package bitsgd.harness.cli;

import bitsgd.harness.UsageException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One command-line option: its name, value label, description, default and the kind of value it
 * takes. Declared once as a constant, added to the {@link Options} of one or more commands and read
 * back with {@link Parsed#get}. The setters are for the declaration only: an option never changes
 * after it has been added to a command.
 *
 * <p>Plain Java on purpose (no lambdas, regex or String.format): this runs before every command, cold.
 */
public final class Opt<T> {

    enum Kind { INT, LONG, DOUBLE, STRING, PATH, FLAG, CHOICE, INT_LIST, DOUBLE_LIST, STRING_LIST }

    final String name;
    final Kind kind;
    final String description;
    /** In help, {@code --name=LABEL}; unless set, the name in capitals, e.g. {@code EVAL_EVERY}. */
    String label;
    String defaultValue;
    boolean required;
    boolean negatable;
    /** The values of a {@link Kind#CHOICE}, matched case-insensitively. */
    final Enum<?>[] choices;
    /** Between the items of a list value. */
    final String separator;

    private Opt(String name, Kind kind, String description, Enum<?>[] choices, String separator) {
        if (!name.startsWith("--")) throw new IllegalArgumentException(Options.message("an option name starts with --: ", name));
        this.name = name;
        this.kind = kind;
        this.description = description;
        this.choices = choices;
        this.separator = separator;
        this.label = name.substring(2).toUpperCase(Locale.ROOT).replace('-', '_');
    }

    public static Opt<Integer> integer(String name, String description) {
        return new Opt<>(name, Kind.INT, description, null, null);
    }

    public static Opt<Long> longInteger(String name, String description) {
        return new Opt<>(name, Kind.LONG, description, null, null);
    }

    public static Opt<Double> real(String name, String description) {
        return new Opt<>(name, Kind.DOUBLE, description, null, null);
    }

    public static Opt<String> string(String name, String description) {
        return new Opt<>(name, Kind.STRING, description, null, null);
    }

    public static Opt<Path> path(String name, String description) {
        return new Opt<>(name, Kind.PATH, description, null, null);
    }

    /** A switch: absent = false, {@code --name} = true ({@code --name=false} also works). */
    public static Opt<Boolean> flag(String name, String description) {
        return new Opt<Boolean>(name, Kind.FLAG, description, null, null).defaultValue("false");
    }

    /** A switch with a {@code --no-} form and a default, e.g. {@code --[no-]stop-on-solve}. */
    public static Opt<Boolean> negatable(String name, boolean defaultValue, String description) {
        Opt<Boolean> o = new Opt<>(name, Kind.FLAG, description, null, null);
        o.negatable = true;
        o.defaultValue = defaultValue ? "true" : "false";
        return o;
    }

    /** One of an enum's constants, named case-insensitively. */
    public static <E extends Enum<E>> Opt<E> choice(String name, E[] values, String description) {
        return new Opt<>(name, Kind.CHOICE, description, values, null);
    }

    /** Comma-separated integers; a repeated option adds its items. */
    public static Opt<List<Integer>> integers(String name, String description) {
        return new Opt<>(name, Kind.INT_LIST, description, null, ",");
    }

    /** Comma-separated numbers; a repeated option adds its items. */
    public static Opt<List<Double>> reals(String name, String description) {
        return new Opt<>(name, Kind.DOUBLE_LIST, description, null, ",");
    }

    /** Strings split at {@code separator}; a repeated option adds its items. */
    public static Opt<List<String>> strings(String name, String separator, String description) {
        return new Opt<>(name, Kind.STRING_LIST, description, null, separator);
    }

    /** The placeholder of the value in help, e.g. {@code DIR} in {@code --out=DIR}. */
    public Opt<T> label(String label) {
        this.label = label;
        return this;
    }

    /** Parsed like a given value when the option is absent; help shows it as {@code (default: value)} unless it is empty. */
    public Opt<T> defaultValue(String value) {
        this.defaultValue = value;
        return this;
    }

    public Opt<T> required() {
        this.required = true;
        return this;
    }

    boolean isFlag() {
        return kind == Kind.FLAG;
    }

    boolean isList() {
        return kind == Kind.INT_LIST || kind == Kind.DOUBLE_LIST || kind == Kind.STRING_LIST;
    }

    /** The value for {@code text}, or a usage error naming this option and the text. */
    Object convert(String text) {
        switch (kind) {
            case INT: {
                Integer v = parseInt(text);
                if (v == null) throw invalid(text, "an integer");
                return v;
            }
            case LONG: {
                Long v = parseLong(text);
                if (v == null) throw invalid(text, "an integer");
                return v;
            }
            case DOUBLE: {
                Double v = parseDouble(text);
                if (v == null) throw invalid(text, "a number");
                return v;
            }
            case STRING:
                return text;
            case PATH:
                // Path.of("") is the current directory: never what an empty --out '' meant
                if (text.isEmpty()) throw new UsageException(Options.message(name, " is empty: give a path (. for the current directory)"));
                try {
                    return Path.of(text);
                } catch (InvalidPathException e) {
                    throw invalid(text, "a path");
                }
            case FLAG:
                if (text.equalsIgnoreCase("true")) return Boolean.TRUE;
                if (text.equalsIgnoreCase("false")) return Boolean.FALSE;
                throw invalid(text, "true or false");
            case CHOICE:
                for (Enum<?> c : choices) {
                    if (c.name().equalsIgnoreCase(text)) return c;
                }
                throw invalid(text, choiceList());
            default:
                return items(text);
        }
    }

    private List<Object> items(String text) {
        List<Object> items = new ArrayList<>();
        int from = 0;
        while (true) {
            int end = text.indexOf(separator, from);
            String item = end < 0 ? text.substring(from) : text.substring(from, end);
            Object v = kind == Kind.INT_LIST ? parseInt(item) : kind == Kind.DOUBLE_LIST ? parseDouble(item) : item;
            if (v == null) throw invalid(text, kind == Kind.INT_LIST ? "integers separated by ','" : "numbers separated by ','");
            items.add(v);
            if (end < 0) return items;
            from = end + separator.length();
        }
    }

    /** "one of hinge, square, logistic, correlation" */
    private String choiceList() {
        StringBuilder sb = new StringBuilder("one of ");
        for (int i = 0; i < choices.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(choices[i].name().toLowerCase(Locale.ROOT));
        }
        return sb.toString();
    }

    private UsageException invalid(String text, String expected) {
        return new UsageException(Options.message(name, " expects ", expected, ", got '", text, "'"));
    }

    // ints and longs reject 3.5 and 1e3; doubles take 1e-3, NaN and Infinity (commands check their ranges themselves)
    private static Integer parseInt(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Double parseDouble(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
