package bitsgd.harness.cli;

import bitsgd.harness.BuildInfo;
import bitsgd.harness.UsageException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * The {@code bitsgd} command. Exit codes, the same in every command: 0 ok; 2 bad usage, found before any work (unknown
 * option, malformed number, value out of range, a spec no run accepts, an input dir that is no sweep, an --out that is
 * empty, cannot be written or is in use by another bitsgd); 1 a failure while working (a disk that fills, a failed run).
 * Either prints exactly one line {@code bitsgd: <message>} to stderr.
 *
 * <p>Only the invoked subcommand's class is loaded and constructed, and the command line is parsed
 * without reflection, lambdas, regex or String.format: a cold {@code bitsgd train} pays for none of them.
 */
public final class Main {
    public static final String VERSION = BuildInfo.VERSION;
    public static final int OK = 0, FAILURE = 1, USAGE = 2;
    static final String DESCRIPTION = "Fast CPU SGD on Boolean functions (sparse parities) with bit-packed ±1 inputs.";

    static {
        // before anything touches bitsgd.kernel.Kernels: its start-up log becomes one short stderr line
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s: %5$s%n");
        }
    }

    /** The subcommands in {@code bitsgd --help} order: name, one-sentence summary, options, and the command made on demand. */
    enum Subcommand {
        TRAIN("train", "Train a network with SGD on a Boolean target (default: a 2-layer ReLU MLP, online, on a k-sparse parity over {±1}^n).") {
            @Override Options options() { return TrainCommand.OPTIONS; }
            @Override Callable<Integer> create(Parsed p, PrintWriter out, PrintWriter err) { return new TrainCommand(p, out, err); }
        },
        PROFILE("profile", "Measure training throughput (scalar vs vector, side by side) and time to solve with the protocol of"
                + " bench/peers/ (PyTorch, numpy): hinge loss, lr 0.1, wd 0.01, fresh batch per step, one thread.") {
            @Override Options options() { return ProfileCommand.OPTIONS; }
            @Override Callable<Integer> create(Parsed p, PrintWriter out, PrintWriter err) { return new ProfileCommand(p, out, err); }
        },
        VALIDATE("validate", "Check every kernel family's vector code (mlp, dense, popgrad) against its scalar reference, each"
                + " reference against a double-precision brute force, and the vector MLP kernels' plain-Java twin against them bit"
                + " for bit, on random cases over awkward sizes.") {
            @Override Options options() { return ValidateCommand.OPTIONS; }
            @Override Callable<Integer> create(Parsed p, PrintWriter out, PrintWriter err) { return new ValidateCommand(p, out); }
        },
        TRACE("trace", "Export a run's initial parameters, every batch and bitsgd's per-step losses as JSON, for"
                + " scripts/torch_replay.py to replay through PyTorch autograd and compare.") {
            @Override Options options() { return TraceCommand.OPTIONS; }
            @Override Callable<Integer> create(Parsed p, PrintWriter out, PrintWriter err) { return new TraceCommand(p, out); }
        },
        POPGRAD("popgrad", "Exact population gradient E_x[∇ℓ] over all 2^n inputs of a 2-layer ReLU MLP, at init or after --steps"
                + " of train's SGD.") {
            @Override Options options() { return PopGradCommand.OPTIONS; }
            @Override Callable<Integer> create(Parsed p, PrintWriter out, PrintWriter err) { return new PopGradCommand(p, out); }
        },
        PLOT_RUN("plot-run", "Render a PNG (headless) from run directories: rho (accuracy, loss and rho_t vs step), gap (exact"
                + " Fourier gap vs step), curve (accuracy or MSE vs step) or coef (tracked coefficients vs step).") {
            @Override Options options() { return PlotRunCommand.OPTIONS; }
            @Override Callable<Integer> create(Parsed p, PrintWriter out, PrintWriter err) { return new PlotRunCommand(p, out); }
        },
        SWEEP("sweep", "Run a sweep spec (grid x seeds) on all cores, resumable and shardable.") {
            @Override Options options() { return SweepCommand.OPTIONS; }
            @Override Callable<Integer> create(Parsed p, PrintWriter out, PrintWriter err) { return new SweepCommand(p, out, err); }
        },
        MERGE("merge", "Join sweep shard outputs into one dir; report missing and duplicate runs.") {
            @Override Options options() { return MergeCommand.OPTIONS; }
            @Override Callable<Integer> create(Parsed p, PrintWriter out, PrintWriter err) { return new MergeCommand(p, out); }
        },
        SUMMARIZE("summarize", "Per grid point: success fraction, median and IQR of t_c over seeds; CSV out.") {
            @Override Options options() { return SummarizeCommand.OPTIONS; }
            @Override Callable<Integer> create(Parsed p, PrintWriter out, PrintWriter err) { return new SummarizeCommand(p, out); }
        },
        PLOT("plot", "PNG training curves and scaling curves of a sweep (headless).") {
            @Override Options options() { return PlotCommand.OPTIONS; }
            @Override Callable<Integer> create(Parsed p, PrintWriter out, PrintWriter err) { return new PlotCommand(p, out); }
        },
        REPRODUCE("reproduce", "Run named experiments of the papers: sweep, summary tables and plots (docs/results.md).") {
            @Override Options options() { return ReproduceCommand.OPTIONS; }
            @Override Callable<Integer> create(Parsed p, PrintWriter out, PrintWriter err) { return new ReproduceCommand(p, out, err); }
        };

        final String command;
        final String summary;

        Subcommand(String command, String summary) {
            this.command = command;
            this.summary = summary;
        }

        abstract Options options();

        abstract Callable<Integer> create(Parsed p, PrintWriter out, PrintWriter err);

        static Subcommand named(String command) {
            for (Subcommand s : values()) {
                if (s.command.equals(command)) return s;
            }
            return null;
        }
    }

    private Main() {}

    public static void main(String[] args) {
        int code = run(args);
        // success: just return (the JVM ends with 0 once the non-daemon threads are done); System.exit would first set
        // up the JDK's logging to record the exit, ~10 ms of a cold run
        if (code != OK) System.exit(code);
    }

    /** Runs the command line on System.out/err and returns the exit code (never exits). */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs the command line on the given streams and returns the exit code (never exits). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        try {
            return dispatch(out, err, args);
        } catch (UsageException e) {
            err.println(Options.message("bitsgd: ", oneLine(e.getMessage())));
            return USAGE;
        } catch (Exception e) {
            String msg = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
            err.println(Options.message("bitsgd: ", oneLine(msg)));
            if (Boolean.getBoolean("bitsgd.debug")) e.printStackTrace(err);
            return FAILURE;
        } catch (Error e) {
            // a failed kernel provider init (ExceptionInInitializerError), OOM, …: the root cause in one line
            Throwable root = e;
            while (root.getCause() != null) root = root.getCause();
            String msg = root.getMessage() == null ? root.getClass().getName() : root.getMessage();
            err.println(Options.message("bitsgd: ", oneLine(msg)));
            if (Boolean.getBoolean("bitsgd.debug")) e.printStackTrace(err);
            return FAILURE;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static int dispatch(PrintWriter out, PrintWriter err, String[] args) throws Exception {
        if (args.length == 0) throw new UsageException("missing subcommand (try: bitsgd train --help)");
        String first = args[0];
        if (first.equals("-h") || first.equals("--help")) {
            out.print(overview());
            return OK;
        }
        if (first.equals("-V") || first.equals("--version")) {
            out.println(version());
            return OK;
        }
        if (first.startsWith("-")) throw new UsageException(Options.message("unknown option ", first, " (see: bitsgd --help)"));
        Subcommand sub = Subcommand.named(first);
        if (sub == null) throw new UsageException(Options.message("unknown command '", first, "' (see: bitsgd --help)"));
        Options options = sub.options();
        Parsed parsed = options.parse(args, 1);
        if (parsed.helpRequested()) {
            out.print(Help.command(options, sub.summary));
            return OK;
        }
        if (parsed.versionRequested()) {
            out.println(version());
            return OK;
        }
        return sub.create(parsed, out, err).call();
    }

    static String overview() {
        Subcommand[] all = Subcommand.values();
        String[] names = new String[all.length], summaries = new String[all.length];
        for (int i = 0; i < all.length; i++) {
            names[i] = all[i].command;
            summaries[i] = all[i].summary;
        }
        return Help.overview(DESCRIPTION, names, summaries);
    }

    static String version() {
        return BuildInfo.line();
    }

    /** The message on one line: its lines stripped and joined with "; ". */
    static String oneLine(String s) {
        if (s == null) return "error";
        StringBuilder sb = new StringBuilder();
        int from = 0;
        while (from <= s.length()) {
            int end = from;
            while (end < s.length() && s.charAt(end) != '\n' && s.charAt(end) != '\r') end++;
            String line = s.substring(from, end).strip();
            if (!line.isEmpty()) sb.append(sb.isEmpty() ? "" : "; ").append(line);
            from = end + 1;
        }
        return sb.toString();
    }
}
