package bitsgd.harness.cli;

/**
 * The help texts: {@code bitsgd --help} (every command with its summary) and {@code bitsgd CMD --help}
 * (usage, summary, details, parameters, every option with its label, description and default),
 * word-wrapped to {@link #WIDTH} columns. Built with StringBuilder: a string {@code +} or
 * String.format would cost ~20 ms each on a cold JVM.
 */
final class Help {
    static final int WIDTH = 100;
    /** Where option descriptions start. */
    private static final int OPTION_COLUMN = 30;
    private static final String HELP_DESCRIPTION = "Show this help message and exit.";
    private static final String VERSION_DESCRIPTION = "Print version information and exit.";

    private Help() {}

    /** {@code bitsgd --help}: {@code names[i]} is summarised by {@code summaries[i]}. */
    static String overview(String description, String[] names, String[] summaries) {
        StringBuilder sb = new StringBuilder("Usage: bitsgd COMMAND [OPTIONS]\n");
        paragraph(sb, description);
        sb.append("\nCommands:\n");
        int column = 0;
        for (String name : names) column = Math.max(column, name.length());
        column += 4;
        for (int i = 0; i < names.length; i++) row(sb, "  ".concat(names[i]), summaries[i], column);
        sb.append("\nOptions:\n");
        row(sb, "  -h, --help", HELP_DESCRIPTION, 18);
        row(sb, "  -V, --version", VERSION_DESCRIPTION, 18);
        sb.append("\nRun 'bitsgd COMMAND --help' for a command's options.\n");
        return sb.toString();
    }

    /** {@code bitsgd CMD --help}. */
    static String command(Options o, String summary) {
        StringBuilder sb = new StringBuilder("Usage: bitsgd ").append(o.command);
        for (Opt<?> opt : o.options) {
            if (opt.required) sb.append(' ').append(optionText(opt));
        }
        sb.append(" [OPTIONS]");
        if (o.parameterLabel != null) sb.append(' ').append(parameterText(o));
        sb.append('\n');
        paragraph(sb, summary);
        for (String line : o.details) paragraph(sb, line);
        if (o.parameterLabel != null) {
            sb.append("\nParameters:\n");
            row(sb, "  ".concat(parameterText(o)), o.parameterDescription, OPTION_COLUMN);
        }
        sb.append("\nOptions:\n");
        for (Opt<?> opt : o.options) row(sb, "      ".concat(optionText(opt)), description(opt), OPTION_COLUMN);
        row(sb, "  -h, --help", HELP_DESCRIPTION, OPTION_COLUMN);
        row(sb, "  -V, --version", VERSION_DESCRIPTION, OPTION_COLUMN);
        return sb.toString();
    }

    /** {@code --n=N}, {@code --[no-]stop-on-solve}, {@code --secret=I[,I...]}. */
    private static String optionText(Opt<?> o) {
        if (o.isFlag()) return o.negatable ? Options.message("--[no-]", o.name.substring(2)) : o.name;
        if (o.isList()) return Options.message(o.name, "=", o.label, "[", o.separator, o.label, "...]");
        return Options.message(o.name, "=", o.label);
    }

    /** {@code SPEC}, {@code SRC...}, {@code [NAME...]}. */
    private static String parameterText(Options o) {
        String text = o.maxParameters > 1 ? o.parameterLabel.concat("...") : o.parameterLabel;
        return o.minParameters == 0 ? Options.message("[", text, "]") : text;
    }

    /** The description with {@code (default: X)} before its final period, X being the declared default (a plain switch's is off). */
    static String description(Opt<?> o) {
        String d = o.description;
        if (o.defaultValue == null || o.defaultValue.isEmpty() || o.isFlag() && !o.negatable) return d;
        boolean period = d.endsWith(".");
        return Options.message(period ? d.substring(0, d.length() - 1) : d, " (default: ", o.defaultValue, period ? ")." : ")");
    }

    /** {@code left}, then {@code text} wrapped from {@code column} on (on the next line when {@code left} reaches it). */
    private static void row(StringBuilder sb, String left, String text, int column) {
        sb.append(left);
        if (left.length() + 2 > column) {
            sb.append('\n');
            pad(sb, column);
        } else {
            pad(sb, column - left.length());
        }
        wrap(sb, text, column);
    }

    private static void paragraph(StringBuilder sb, String text) {
        wrap(sb, text, 0);
    }

    /** Appends {@code text} word by word, breaking lines before {@link #WIDTH} and indenting them to {@code indent}. */
    private static void wrap(StringBuilder sb, String text, int indent) {
        int column = indent;
        int from = 0;
        while (from < text.length()) {
            int end = text.indexOf(' ', from);
            if (end < 0) end = text.length();
            int length = end - from;
            if (column > indent && column + 1 + length > WIDTH) {
                sb.append('\n');
                pad(sb, indent);
                column = indent;
            }
            if (column > indent) {
                sb.append(' ');
                column++;
            }
            sb.append(text, from, end);
            column += length;
            from = end + 1;
        }
        sb.append('\n');
    }

    private static void pad(StringBuilder sb, int spaces) {
        for (int i = 0; i < spaces; i++) sb.append(' ');
    }
}
