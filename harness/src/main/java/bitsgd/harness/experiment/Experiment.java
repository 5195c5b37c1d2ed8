package bitsgd.harness.experiment;

import bitsgd.harness.io.ProgressMode;
import bitsgd.harness.sweep.SweepSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * One experiment of a paper, as {@code bitsgd reproduce NAME} runs it: what to run, how to summarise it, which
 * tables and plots it writes and what its output is checked on. Each experiment is one class in this package,
 * listed in {@link Experiments}; {@link SweepExperiment} and {@link ScriptExperiment} do the common work.
 */
public interface Experiment {

    /** The full experiment or its small variant, with the seed count optionally overridden. */
    record Variant(boolean quick, Integer seeds) {
        public static final Variant FULL = new Variant(false, null), QUICK = new Variant(true, null);

        /** The output name: {@code finding1}, {@code finding1-quick}, {@code finding1-quick-s5}. */
        public String name(String experiment) {
            return experiment + (quick ? "-quick" : "") + (seeds != null ? "-s" + seeds : "");
        }

        /** The reference a variant is checked against: the seed count is not part of it (the band allows for it). */
        public String referenceName(String experiment) {
            return experiment + (quick ? "-quick" : "");
        }
    }

    /** Where a run prints and how much it may use. */
    record Env(int threads, ProgressMode progress, PrintWriter out, PrintWriter err) {}

    String name();

    /** One line for {@code reproduce --list}. */
    String description();

    /** Old names that still run it. */
    default List<String> aliases() {
        return List.of();
    }

    /** Everything that can be checked before a run starts (an unrunnable setting is a {@link bitsgd.harness.UsageException}). */
    void prepare(Variant v);

    /** Runs what is not done yet into {@code dir}, then writes summary.csv, the tables and the plots; the exit code. */
    int run(Variant v, Path dir, Env env) throws Exception;

    /** The shape of a finished output: each problem in one line (empty: every file with its rows, columns and PNGs). */
    List<String> problems(Variant v, Path dir) throws IOException;

    /** What the shape check covers, for its OK line. */
    String shapeSummary(Variant v);

    /** The numbers the check compares with the reference ({@link Reference}). */
    List<Measure> measures(Variant v, Path dir) throws IOException;

    /** The sweep spec behind it ({@code reproduce --print-spec}), or null when it is not one sweep. */
    default SweepSpec spec(Variant v) {
        return null;
    }
}
