package bitsgd.harness.cli;

import java.util.List;
import java.util.Map;

/** One command line, parsed: each option's value (given or default) and the positional parameters. */
public final class Parsed {
    private final Options options;
    private final Map<Opt<?>, Object> values;
    private final java.util.Set<Opt<?>> given;
    private final List<String> parameters;
    private final boolean helpRequested;
    private final boolean versionRequested;

    Parsed(Options options, Map<Opt<?>, Object> values, java.util.Set<Opt<?>> given, List<String> parameters) {
        this(options, values, given, parameters, false, false);
    }

    private Parsed(Options options, Map<Opt<?>, Object> values, java.util.Set<Opt<?>> given, List<String> parameters, boolean help,
                   boolean version) {
        this.options = options;
        this.values = values;
        this.given = given;
        this.parameters = parameters;
        this.helpRequested = help;
        this.versionRequested = version;
    }

    /** A command line that asked for help ({@code help}) or for the version, and nothing else. */
    static Parsed request(Options options, boolean help) {
        return new Parsed(options, Map.of(), java.util.Set.of(), List.of(), help, !help);
    }

    /** The given value, else the default, else null (an option without default that was not given). */
    @SuppressWarnings("unchecked")
    public <T> T get(Opt<T> opt) {
        if (!options.options.contains(opt)) {
            throw new IllegalArgumentException(Options.message(opt.name, " is not an option of ", options.command));
        }
        return (T) values.get(opt);
    }

    /** True when the command line gave the option (not only its default). */
    public boolean given(Opt<?> opt) {
        return given.contains(opt);
    }

    /** The positional parameters, in order. */
    public List<String> parameters() {
        return parameters;
    }

    public boolean helpRequested() {
        return helpRequested;
    }

    public boolean versionRequested() {
        return versionRequested;
    }
}
