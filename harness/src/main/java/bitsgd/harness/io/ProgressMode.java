package bitsgd.harness.io;

/**
 * How a command shows progress, always on stderr (stdout keeps the results): a bar redrawn in place on a terminal,
 * plain lines at most every few seconds elsewhere (logs, Slurm output files, pipes), one JSON object per event
 * ({@code jsonl}), or nothing.
 */
public enum ProgressMode {
    AUTO, BAR, LINES, JSONL, NONE;

    /** The option's help, shared by every command that shows progress. */
    public static final String HELP = "auto | bar | lines | jsonl | none, on stderr; auto = a bar on a terminal, else a line every 5 s;"
            + " jsonl = one JSON object per event.";

    /** AUTO made concrete: BAR when stderr is a terminal, else LINES. */
    public ProgressMode resolved() {
        return this != AUTO ? this : stderrIsTerminal() ? BAR : LINES;
    }

    /**
     * The launcher tests stderr itself ({@code -Dbitsgd.stderr.tty}), as Java cannot; without it (plain {@code java -jar}),
     * a process with a console is taken to have its stderr there too.
     */
    static boolean stderrIsTerminal() {
        String tty = System.getProperty("bitsgd.stderr.tty");
        if (tty != null) return tty.equals("true");
        var c = System.console();
        return c != null && c.isTerminal();
    }
}
