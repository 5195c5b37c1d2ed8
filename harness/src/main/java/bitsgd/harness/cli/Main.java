package bitsgd.harness.cli;

import bitsgd.harness.UsageException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code bitsgd} command. Exit codes: 0 ok, 1 runtime failure, 2 bad usage. Every usage error
 * (unknown option, malformed number, value out of range) prints exactly one line
 * {@code bitsgd: <message>} to stderr.
 */
@Command(name = "bitsgd", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        subcommands = {TrainCommand.class, ProfileCommand.class, ValidateCommand.class, TraceCommand.class,
                PopGradCommand.class, PlotRunCommand.class, SweepCommand.class, MergeCommand.class,
                SummarizeCommand.class, PlotCommand.class, ReproduceCommand.class},
        description = "Fast CPU SGD on Boolean functions (sparse parities) with bit-packed ±1 inputs.")
public final class Main implements Runnable {
    public static final String VERSION = "0.1.0-SNAPSHOT";
    public static final int OK = 0, FAILURE = 1, USAGE = 2;

    static {
        // before anything touches bitsgd.kernel.Kernels: its start-up log becomes one short stderr line
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s: %5$s%n");
        }
    }

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing subcommand (try: bitsgd train --help)");
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line on System.out/err and returns the exit code (never exits). */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs the command line on the given streams and returns the exit code (never exits). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("bitsgd: " + oneLine(ex.getMessage()));
            return USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (ex instanceof UsageException) {
                c.getErr().println("bitsgd: " + oneLine(ex.getMessage()));
                return USAGE;
            }
            String msg = ex.getMessage() == null ? ex.getClass().getName() : ex.getMessage();
            c.getErr().println("bitsgd: " + oneLine(msg));
            if (Boolean.getBoolean("bitsgd.debug")) ex.printStackTrace(c.getErr());
            return FAILURE;
        });
        try {
            return cl.execute(args);
        } catch (Error e) {
            // picocli passes Errors through: a failed kernel provider init (ExceptionInInitializerError), OOM, …
            Throwable root = e;
            while (root.getCause() != null) root = root.getCause();
            String msg = root.getMessage() == null ? root.getClass().getName() : root.getMessage();
            err.println("bitsgd: " + oneLine(msg));
            if (Boolean.getBoolean("bitsgd.debug")) e.printStackTrace(err);
            return FAILURE;
        } finally {
            out.flush();
            err.flush();
        }
    }

    static String oneLine(String s) {
        return s == null ? "error" : s.strip().replaceAll("\\s*\\R\\s*", "; ");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"bitsgd " + VERSION + " (JDK " + Runtime.version() + ")"};
        }
    }
}
