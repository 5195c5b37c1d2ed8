package bitsgd.harness.cli;

import bitsgd.harness.UsageException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one command accepts: its options in help order, at most one kind of positional parameter,
 * and the description lines its help prints under the summary. Parsing turns arguments into a
 * {@link Parsed}; every mistake is a {@link UsageException} naming the option and the value.
 *
 * <p>Plain Java on purpose (no lambdas, regex or String.format): this runs before every command, cold.
 */
public final class Options {
    final String command;
    final List<Opt<?>> options = new ArrayList<>();
    String[] details = new String[0];
    String parameterLabel;
    String parameterDescription;
    int minParameters;
    int maxParameters;

    public Options(String command) {
        this.command = command;
    }

    /** Adds options in help order; a group shared by several commands is added the same way. */
    public Options add(Opt<?>... group) {
        for (Opt<?> o : group) {
            if (find(o.name) != null || isHelpOrVersion(o.name)) {
                throw new IllegalStateException(message(command, ": ", o.name, " twice"));
            }
            options.add(o);
        }
        return this;
    }

    /** Lines printed under the summary in help, e.g. the protocol a command follows. */
    public Options details(String... lines) {
        this.details = lines;
        return this;
    }

    /** Positional parameters: between {@code min} and {@code max} of them, shown as {@code label} in help. */
    public Options parameters(String label, int min, int max, String description) {
        this.parameterLabel = label;
        this.minParameters = min;
        this.maxParameters = max;
        this.parameterDescription = description;
        return this;
    }

    /** {@code args[from..]} as options and parameters; -h/--help or -V/--version anywhere before {@code --} wins. */
    public Parsed parse(String[] args, int from) {
        for (int i = from; i < args.length && !args[i].equals("--"); i++) {
            if (args[i].equals("-h") || args[i].equals("--help")) return Parsed.request(this, true);
            if (args[i].equals("-V") || args[i].equals("--version")) return Parsed.request(this, false);
        }
        Map<Opt<?>, Object> values = new HashMap<>();
        List<String> parameters = new ArrayList<>();
        boolean optionsEnded = false;
        for (int i = from; i < args.length; i++) {
            String arg = args[i];
            if (!optionsEnded && arg.equals("--")) {
                optionsEnded = true;
            } else if (optionsEnded || !arg.startsWith("-") || arg.equals("-")) {
                parameters.add(arg);
            } else {
                int eq = arg.indexOf('=');
                String name = eq < 0 ? arg : arg.substring(0, eq);
                String attached = eq < 0 ? null : arg.substring(eq + 1);
                Opt<?> opt = find(name);
                boolean negated = false;
                if (opt == null) {
                    opt = negatable(name);
                    negated = opt != null;
                }
                if (opt == null) throw usage("unknown option ", name, " (see: bitsgd ", command, " --help)");
                Object value;
                if (opt.isFlag()) {
                    value = attached == null ? Boolean.TRUE : opt.convert(attached);
                    if (negated) value = !(Boolean) value;
                } else {
                    String text = attached;
                    if (text == null) {
                        if (i + 1 == args.length) throw usage("missing value for ", name);
                        if (isOption(args[i + 1])) throw usage("missing value for ", name, " (", args[i + 1], " is an option)");
                        text = args[++i];
                    }
                    value = opt.convert(text);
                }
                put(values, opt, value);
            }
        }
        checkComplete(values, parameters);
        java.util.Set<Opt<?>> given = new java.util.HashSet<>(values.keySet());
        for (Opt<?> o : options) {
            if (!values.containsKey(o) && o.defaultValue != null) values.put(o, o.convert(o.defaultValue));
        }
        return new Parsed(this, values, given, parameters);
    }

    private void put(Map<Opt<?>, Object> values, Opt<?> opt, Object value) {
        Object before = values.get(opt);
        if (before == null) {
            values.put(opt, value);
        } else if (opt.isList()) {
            @SuppressWarnings("unchecked")
            List<Object> items = (List<Object>) before;
            items.addAll((List<?>) value);
        } else {
            throw usage(opt.name, " given more than once: ", String.valueOf(before), " and ", String.valueOf(value));
        }
    }

    private void checkComplete(Map<Opt<?>, Object> values, List<String> parameters) {
        StringBuilder missing = new StringBuilder();
        int count = 0;
        for (Opt<?> o : options) {
            if (o.required && !values.containsKey(o)) {
                missing.append(count++ == 0 ? "" : ", ").append(o.name);
            }
        }
        if (count > 0) throw usage(count == 1 ? "missing required option " : "missing required options ", missing.toString());
        if (parameters.size() < minParameters) throw usage("missing parameter ", parameterLabel);
        if (parameters.size() > maxParameters) throw usage("unexpected argument '", parameters.get(maxParameters), "'");
    }

    private Opt<?> find(String name) {
        for (Opt<?> o : options) {
            if (o.name.equals(name)) return o;
        }
        return null;
    }

    /** The option whose {@code --no-} form {@code name} is, or null. */
    private Opt<?> negatable(String name) {
        if (!name.startsWith("--no-")) return null;
        Opt<?> o = find("--".concat(name.substring(5)));
        return o != null && o.negatable ? o : null;
    }

    /** True when {@code arg} names an option of this command, so it cannot be the value of the one before it. */
    private boolean isOption(String arg) {
        int eq = arg.indexOf('=');
        String name = eq < 0 ? arg : arg.substring(0, eq);
        return find(name) != null || negatable(name) != null || isHelpOrVersion(name);
    }

    private static boolean isHelpOrVersion(String name) {
        return name.equals("-h") || name.equals("--help") || name.equals("-V") || name.equals("--version");
    }

    private static UsageException usage(String... parts) {
        return new UsageException(message(parts));
    }

    /** The parts joined: a string {@code +} would bootstrap StringConcatFactory, ~20 ms on a cold JVM. */
    static String message(String... parts) {
        StringBuilder sb = new StringBuilder();
        for (String p : parts) sb.append(p);
        return sb.toString();
    }
}
