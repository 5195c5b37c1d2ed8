package bitsgd.harness.cli;

import bitsgd.harness.UsageException;
import bitsgd.harness.sweep.Shards;
import bitsgd.harness.sweep.SweepRunner;
import bitsgd.harness.sweep.SweepSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bitsgd sweep SPEC}: grid × seeds on all cores, resumable, shardable. */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a sweep spec (grid x seeds) on all cores, resumable and shardable.",
                "One record per finished run under OUT/runs/; a restarted sweep skips finished runs. See docs/sweeps.md."})
public final class SweepCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SPEC", description = "Sweep spec (JSON).")
    Path specFile;

    @Option(names = "--out", paramLabel = "DIR", description = "Output dir (default: the spec's out, else out/<name>).")
    Path out;

    @Option(names = "--threads", paramLabel = "T", description = "Runs at a time, one per thread (default: available processors).")
    Integer threads;

    @Option(names = "--shard-index", paramLabel = "I", description = "Run only runs with run index % N == I (default: from SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN).")
    Integer shardIndex;

    @Option(names = "--shard-count", paramLabel = "N", description = "Number of shards (default: SLURM_ARRAY_TASK_COUNT, else 1).")
    Integer shardCount;

    @Option(names = "--print-sbatch", description = "Print an sbatch job-array script for this spec and exit (array size: --shard-count, default 4).")
    boolean printSbatch;

    @Option(names = "--list", description = "Print the grid points with their config index and exit.")
    boolean list;

    @Option(names = "--progress", defaultValue = "auto", description = "auto | bar | lines | none (default: ${DEFAULT-VALUE}: a bar on a terminal, else a line every 5 s).")
    SweepRunner.ProgressMode progress;

    @Option(names = "--json", description = "Print the outcome as one JSON object on the last stdout line.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        SweepSpec s = SweepSpec.read(specFile);
        Path dir = out != null ? out : s.outDir();
        PrintWriter o = spec.commandLine().getOut();
        if (list) {
            for (var p : s.points()) o.printf("%d\t%s%n", p.index(), p.label());
            o.printf("%d grid points x %d seeds = %d runs%n", s.points().size(), s.seeds().size(), s.runCount());
            return Main.OK;
        }
        if (printSbatch) {
            int n = shardCount != null ? shardCount : 4;
            if (n < 1) throw new UsageException("--shard-count must be >= 1, got " + n);
            o.print(Shards.sbatch(s, specFile, dir, n, threads != null ? threads : 1, Shards.launcher()));
            return Main.OK;
        }
        int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        var shard = Shards.resolve(shardIndex, shardCount, System.getenv());
        var opt = new SweepRunner.Options(t, shard, progress, System.getenv());
        PrintWriter err = spec.commandLine().getErr();
        return report(o, s, dir, shard, SweepRunner.run(s, dir, opt, err), json);
    }

    static int report(PrintWriter o, SweepSpec s, Path dir, Shards.Shard shard, SweepRunner.Outcome r, boolean json) {
        String sh = shard.count() > 1 ? String.format(Locale.ROOT, " (shard %d of %d: %d of %d runs)", shard.index(), shard.count(), r.inShard(), r.total()) : "";
        o.printf(Locale.ROOT, "sweep %s%s: ran %d, skipped %d (done before), failed %d; %.2f s on %d threads = %.3f runs/s%n",
                s.name(), sh, r.ran(), r.skipped(), r.failed(), r.wallSeconds(), r.threads(), r.ran() == 0 ? 0.0 : r.runsPerSecond());
        double busy = r.stepSeconds() + r.checkSeconds() + r.setupSeconds();
        o.printf(Locale.ROOT, "time    thread-seconds: steps %.2f, convergence checks %.2f, run set-up + final eval %.2f; idle %.2f; JVM start-up before the sweep %.2f s; %d steps%n",
                r.stepSeconds(), r.checkSeconds(), r.setupSeconds(), Math.max(0, r.wallSeconds() * r.threads() - busy), r.jvmSeconds(), r.steps());
        if (r.ran() > 0) {
            o.printf(Locale.ROOT, "cpu     the run threads got %.2f cores on average (%.1f CPU-s in %.1f s; fewer than %d means other processes took the CPUs)%n",
                    r.cpuSeconds() / r.wallSeconds(), r.cpuSeconds(), r.wallSeconds(), r.threads());
        }
        o.printf("records %s%n", dir.resolve("runs"));
        if (json) o.println(SweepRunner.json(r));
        o.flush();
        return r.failed() > 0 ? Main.FAILURE : Main.OK;
    }
}
