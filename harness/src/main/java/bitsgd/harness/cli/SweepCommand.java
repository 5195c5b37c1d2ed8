package bitsgd.harness.cli;

import bitsgd.harness.UsageException;
import bitsgd.harness.io.ProgressMode;
import bitsgd.harness.sweep.Shards;
import bitsgd.harness.sweep.SweepRunner;
import bitsgd.harness.sweep.SweepSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code bitsgd sweep SPEC}: grid × seeds on all cores, resumable, shardable. */
public final class SweepCommand implements Callable<Integer> {
    static final Opt<Path> OUT = Output.out("spec.json and one record per run under runs/", "the spec's out, else out/<name>");
    static final Opt<Integer> THREADS = Opt.integer("--threads", "Runs at a time, one per thread (default: available processors).").label("T");
    static final Opt<Integer> SPLIT_WIDTH = Opt.integer("--split-width",
            "Runs of --arch mlp at least W units wide run one at a time, each step split over all --threads (as train --threads);"
                    + " narrower runs go side by side, one per thread; 0 = off.").label("W").defaultValue("0");
    static final Opt<Long> CHECKPOINT_EVERY = Opt.longInteger("--checkpoint-every",
            "Each run saves its state under OUT/checkpoints/ every N steps (a multiple of every point's eval_every); a restarted"
                    + " sweep continues an unfinished run from there, bit for bit; 0 = off.").label("N").defaultValue("0");
    static final Opt<Integer> SHARD_INDEX = Opt.integer("--shard-index",
            "Run only runs with run index % N == I (default: from SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN).").label("I");
    static final Opt<Integer> SHARD_COUNT = Opt.integer("--shard-count", "Number of shards (default: SLURM_ARRAY_TASK_COUNT, else 1).")
            .label("N");
    static final Opt<Boolean> PRINT_SBATCH = Opt.flag("--print-sbatch",
            "Print an sbatch job-array script for this spec and exit (array size: --shard-count, default 4).");
    static final Opt<Boolean> LIST = Opt.flag("--list", "Print the grid points with their config index and exit.");
    static final Opt<ProgressMode> PROGRESS = Output.PROGRESS;
    static final Opt<Boolean> JSON = Output.JSON;

    static final Options OPTIONS = new Options("sweep")
            .details("One record per finished run under OUT/runs/; a restarted sweep skips finished runs. See docs/sweeps.md.")
            .parameters("SPEC", 1, 1, "Sweep spec (JSON).")
            .add(OUT, THREADS, SPLIT_WIDTH, CHECKPOINT_EVERY, SHARD_INDEX, SHARD_COUNT, PRINT_SBATCH, LIST, PROGRESS, JSON);

    private final PrintWriter stdout;
    private final PrintWriter stderr;
    final Path specFile;
    final Path out;
    final Integer threads;
    final int splitWidth;
    final long checkpointEvery;
    final Integer shardIndex;
    final Integer shardCount;
    final boolean printSbatch;
    final boolean list;
    final ProgressMode progress;
    final boolean json;

    SweepCommand(Parsed p, PrintWriter stdout, PrintWriter stderr) {
        this.stdout = stdout;
        this.stderr = stderr;
        specFile = Path.of(p.parameters().getFirst());
        out = p.get(OUT);
        threads = p.get(THREADS);
        splitWidth = p.get(SPLIT_WIDTH);
        checkpointEvery = p.get(CHECKPOINT_EVERY);
        shardIndex = p.get(SHARD_INDEX);
        shardCount = p.get(SHARD_COUNT);
        printSbatch = p.get(PRINT_SBATCH);
        list = p.get(LIST);
        progress = p.get(PROGRESS);
        json = p.get(JSON);
    }

    @Override
    public Integer call() throws Exception {
        SweepSpec s = SweepSpec.read(specFile);
        Path dir = out != null ? out : s.outDir();
        PrintWriter o = stdout;
        if (list) {
            for (var p : s.points()) o.printf("%d\t%s%n", p.index(), p.label());
            o.printf("%d grid points x %d seeds = %d runs%n", s.points().size(), s.seeds().size(), s.runCount());
            return Main.OK;
        }
        if (checkpointEvery < 0) throw new UsageException("--checkpoint-every must be >= 0, got " + checkpointEvery);
        for (var p : checkpointEvery > 0 ? s.points() : List.<SweepSpec.Point>of()) {
            long every = p.config().evalEvery();
            if (checkpointEvery % every != 0) {
                throw new UsageException("--checkpoint-every " + checkpointEvery + " is not a multiple of grid point " + p.index() + "'s eval_every " + every);
            }
        }
        if (printSbatch) {
            int n = shardCount != null ? shardCount : 4;
            if (n < 1) throw new UsageException("--shard-count must be >= 1, got " + n);
            s.checkRunnable();   // a script whose every task would fail is refused here, not on the cluster
            if (splitWidth < 0) throw new UsageException("--split-width must be >= 0, got " + splitWidth);
            o.print(Shards.sbatch(s, specFile, dir, n, threads != null ? threads : 1, splitWidth, checkpointEvery, Shards.launcher()));
            return Main.OK;
        }
        int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        var shard = Shards.resolve(shardIndex, shardCount, System.getenv());
        var opt = new SweepRunner.Options(t, shard, progress, System.getenv(), splitWidth, checkpointEvery);
        if (out != null) {
            s.checkRunnable();       // a spec that cannot run is refused before --out is created
            Output.directory(out);   // so an unwritable --out is named as such (the runner checks the spec's out the same way)
        }
        PrintWriter err = stderr;
        return report(o, s, dir, shard, SweepRunner.run(s, dir, opt, err), json);
    }

    public static int report(PrintWriter o, SweepSpec s, Path dir, Shards.Shard shard, SweepRunner.Outcome r, boolean json) {
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
