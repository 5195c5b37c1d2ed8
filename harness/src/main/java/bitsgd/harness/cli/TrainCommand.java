package bitsgd.harness.cli;

import bitsgd.harness.UsageException;
import bitsgd.harness.io.AtomicFiles;
import bitsgd.harness.io.Csv;
import bitsgd.harness.io.Fmt;
import bitsgd.harness.io.Json;
import bitsgd.harness.io.OnSignal;
import bitsgd.harness.io.ProgressMode;
import bitsgd.harness.model.BitMlp;
import bitsgd.harness.model.ModelSpec;
import bitsgd.harness.popgrad.PopulationGradient;
import bitsgd.harness.probe.Probes;
import bitsgd.harness.task.Monomials;
import bitsgd.harness.task.SparseParity;
import bitsgd.harness.train.Checkpoints;
import bitsgd.harness.train.CurvePoint;
import bitsgd.harness.train.OptimizerSpec;
import bitsgd.harness.train.RunResult;
import bitsgd.harness.train.Setting;
import bitsgd.harness.train.Setup;
import bitsgd.harness.train.Speedup;
import bitsgd.harness.train.SpeedupResult;
import bitsgd.harness.train.TrainConfig;
import bitsgd.harness.train.Trainer;
import bitsgd.kernel.Kernels;
import bitsgd.kernel.mlp.Loss;
import bitsgd.kernel.popgrad.PopGradKernels;
import bitsgd.kernel.popgrad.PopGrads;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/** {@code bitsgd train}: one online-SGD run on a sparse parity. Parse → run → print. */
public final class TrainCommand implements Callable<Integer> {

    static final Opt<Boolean> JSON = Output.JSON;
    static final Opt<ProgressMode> PROGRESS = Output.PROGRESS;
    static final Opt<Path> OUT = Output.out("curve.csv, result.json and the trained model.npz (and probes.csv with --probe-every, checkpoint.npz with --checkpoint-every)");
    static final Opt<Long> CHECKPOINT_EVERY = Opt.longInteger("--checkpoint-every",
            "Save the whole training state to --out's checkpoint.npz every N steps (a multiple of --eval-every) and at the end; 0 = off.")
            .label("N").defaultValue("0");
    static final Opt<Path> RESUME = Opt.path("--resume",
            "Continue the run whose checkpoint.npz is in DIR, bit for bit; only --max-steps may change. Writes into DIR unless --out is given.")
            .label("DIR");
    static final Opt<Path> MODEL = SavedModelOption.MODEL;
    static final Opt<Boolean> SPEEDUP = Opt.flag("--speedup", "Afterwards, time the scalar and vector kernels side by side on this config.");
    static final Opt<Integer> THREADS = Opt.integer("--threads",
            "Threads this run uses: each step splits the hidden units over them (--arch mlp, vector kernels), with the same results as one.")
            .label("T").defaultValue("1");
    static final Opt<Boolean> RANDOM_LABELS = Opt.flag("--random-labels",
            "Control run: every training label is an independent random sign (NOISE stream); eval stays χ_S.");
    static final Opt<Long> PROBE_EVERY = Opt.longInteger("--probe-every",
            "Hidden-progress probes (ρ_t, weights on/off S, exact Fourier gap) every N steps into probes.csv; 0 = off.")
            .label("N").defaultValue("0");
    static final Opt<List<Integer>> PROBE_NEURONS = Opt.integers("--probe-neurons",
            "Neurons with their own probe columns (default: 0,1,2,3 or fewer).").label("J");
    static final Opt<Integer> PROBE_POPGRAD_MAX_N = Opt.integer("--probe-popgrad-max-n",
            "Probe the exact population gradient only while n <= this; 2^n inputs per probe.").label("N").defaultValue("20");

    static final Options OPTIONS = new Options("train").add(ProblemOptions.all()).add(MODEL, THREADS, JSON, OUT, CHECKPOINT_EVERY, RESUME,
            PROGRESS, SPEEDUP, RANDOM_LABELS, PROBE_EVERY, PROBE_NEURONS, PROBE_POPGRAD_MAX_N);

    private final PrintWriter stdout;
    private final PrintWriter stderr;
    final ProgressMode progress;
    private final Parsed parsed;
    final boolean json;
    final Path out;
    final boolean speedup;
    final boolean randomLabels;
    final int threads;
    final long probeEvery;
    final List<Integer> probeNeurons;
    final int probePopgradMaxN;
    final long checkpointEvery;
    final Path resume;

    TrainCommand(Parsed p, PrintWriter stdout, PrintWriter stderr) {
        this.stdout = stdout;
        this.stderr = stderr;
        progress = p.get(PROGRESS);
        this.parsed = p;
        json = p.get(JSON);
        out = p.get(OUT);
        speedup = p.get(SPEEDUP);
        randomLabels = p.get(RANDOM_LABELS);
        threads = p.get(THREADS);
        probeEvery = p.get(PROBE_EVERY);
        probeNeurons = p.get(PROBE_NEURONS);
        probePopgradMaxN = p.get(PROBE_POPGRAD_MAX_N);
        checkpointEvery = p.get(CHECKPOINT_EVERY);
        resume = p.get(RESUME);
    }

    TrainConfig config() {
        return SavedModelOption.settings(parsed).toConfig();
    }

    /** Where a resumed run starts: its checkpoint, its settings with --max-steps applied, refusing every other change. */
    private Checkpoints.Loaded resumed() {
        for (Opt<?> o : ProblemOptions.all()) {
            if (o != ProblemOptions.of(Setting.MAX_STEPS) && parsed.given(o)) {
                throw new UsageException("--resume continues a run with its own settings; only --max-steps may be given, not " + o.name);
            }
        }
        if (parsed.given(MODEL)) throw new UsageException("--resume starts from the checkpoint's model; leave out --model");
        if (randomLabels) throw new UsageException("--resume keeps the run's labels; leave out --random-labels");
        if (probeEvery != 0) throw new UsageException("--probe-every needs the run from its start; it cannot join a resumed run");
        Path file = resume.resolve(Checkpoints.CHECKPOINT_FILE);
        if (!Files.isDirectory(resume)) throw new UsageException("--resume " + resume + ": no such directory");
        if (!Files.isRegularFile(file)) throw new UsageException("--resume " + resume + ": no " + Checkpoints.CHECKPOINT_FILE + " in it");
        Checkpoints.Loaded l = Checkpoints.read(file);
        TrainConfig cfg = l.config();
        if (parsed.given(ProblemOptions.of(Setting.MAX_STEPS))) {
            long max = (Long) parsed.get(ProblemOptions.of(Setting.MAX_STEPS));
            cfg = cfg.withSteps(max, cfg.evalEvery(), cfg.stopOnSolve());
        }
        return new Checkpoints.Loaded(cfg, l.state(), l.checkpointEvery());
    }

    @Override
    public Integer call() throws Exception {
        Checkpoints.Loaded from = resume == null ? null : resumed();
        TrainConfig cfg = from == null ? config() : from.config();
        Path out = this.out != null ? this.out : resume;
        if (checkpointEvery < 0) throw new UsageException("--checkpoint-every must be >= 0, got " + checkpointEvery);
        long every = from != null && !parsed.given(CHECKPOINT_EVERY) ? from.checkpointEvery() : checkpointEvery;
        if (every > 0 && out == null) throw new UsageException("--checkpoint-every writes into --out DIR; give one");
        PrintWriter o = stdout;
        Trainer trainer = new Trainer(cfg).randomLabels(randomLabels).threads(threads);
        Path savedModel = parsed.get(MODEL);
        if (savedModel != null) Checkpoints.load(trainer.model(), Checkpoints.readModel(savedModel), savedModel);
        if (from != null) trainer.resume(from.state());
        Probes probes = probes(cfg, trainer);
        if (every > 0) {
            Path file = out.resolve(Checkpoints.CHECKPOINT_FILE);
            trainer.checkpoints(every, state -> {
                try {
                    Checkpoints.write(file, cfg, trainer.model(), trainer.tracked(), state, every);
                } catch (IOException e) {
                    // stopped by a signal: the previous checkpoint stays, and the signal's line is the last word
                    if (AtomicFiles.stopping()) OnSignal.awaitHalt();
                    throw new UncheckedIOException(e.getMessage(), e);   // the message names the file and the cause
                }
            });
        }

        boolean made = out != null && !Files.exists(out);
        if (out != null) Output.directory(out);   // before the run: an --out it cannot write is found now, not at the end
        printHeader(o, trainer, cfg);
        if (from != null) o.println("resume  from step " + from.state().step() + " (" + resume.resolve(Checkpoints.CHECKPOINT_FILE) + ")");
        if (savedModel != null) o.println("start   from " + savedModel);
        o.flush();   // what runs shows before it runs, however long it takes
        List<CurvePoint> curve = new ArrayList<>();
        RunResult r;
        try (TrainProgress shown = new TrainProgress(progress, stderr, cfg.maxSteps())) {
            OnSignal stopped = onSignal(shown, trainer, cfg.maxSteps(), made ? out : null, every > 0 ? out : null);
            shown.watch(trainer::stepsDone);
            try {
                Consumer<CurvePoint> keep = curve::add;
                r = trainer.run(keep.andThen(shown));
            } finally {
                stopped.close();
            }
            if (stopped.fired()) stopped.awaitExit();   // the run ended while the JVM was stopping: the signal's line stays the last word
        }
        String speedupNote = null;
        if (speedup && !cfg.setup().isDefault()) {
            speedupNote = "speedup: measured for the online parity ReLU MLP under sgd only";
        } else if (speedup) {
            if (Kernels.vectorAvailable()) {
                r = r.withSpeedup(Speedup.measure(cfg, Kernels.scalarMlp(), Kernels.vectorMlp(), 3, 0.3, 0.5));
            } else {
                speedupNote = "speedup: not measured, " + Kernels.vectorUnavailableReason();
            }
        }
        printSummary(o, r);
        if (speedupNote != null) o.println(speedupNote);
        Map<String, Object> record = r.toMap();
        if (trainer.randomLabels()) record.put("random_labels", true);
        if (probes != null) {
            Probes.Row last = probes.rows().get(probes.rows().size() - 1);
            o.printf(Locale.ROOT, "probes  %d readings every %d steps; final rho = ||W_t - W_0||_inf = %.4g%s%n", probes.rows().size(), probeEvery,
                    last.rho(), probes.hasPopGrad() ? String.format(Locale.ROOT, ", Fourier gap overall %.4g, best neuron %.4g",
                            last.gapOverall(), last.gapBest()) : "");
            record.put("probe_every", probeEvery);
            record.put("final_rho", last.rho());
        }
        if (out != null) {
            AtomicFiles.write(out.resolve("curve.csv"), csv(curve, trainer.tracked()));
            if (probes != null) AtomicFiles.write(out.resolve("probes.csv"), probes.csv());
            Checkpoints.writeModel(out.resolve(Checkpoints.MODEL_FILE), cfg, trainer.model(), r.steps());
            AtomicFiles.write(out.resolve("result.json"), Json.line(record) + "\n");
        }
        if (json) o.println(Json.line(record));
        o.flush();
        return Main.OK; // a diverged run is a result, not a failure
    }

    /**
     * SIGTERM or SIGINT during the run: one line saying where it stopped and that nothing was written, and an --out
     * directory this run created removed again when still empty.
     */
    private OnSignal onSignal(TrainProgress shown, Trainer trainer, long maxSteps, Path madeOut, Path checkpoints) {
        return OnSignal.say(stderr, () -> {
            shown.close();
            if (madeOut != null) {
                try {
                    Files.deleteIfExists(madeOut);   // only when empty: a non-empty directory is refused, and kept
                } catch (IOException e) {
                    // a file in it after all: keep it
                }
            }
            String line = "bitsgd: train stopped by a signal at step " + trainer.stepsDone() + " of " + maxSteps + "; no result written";
            if (checkpoints != null && Checkpoints.hasCheckpoint(checkpoints)) {
                line += "; continue from the last checkpoint with: bitsgd train --resume " + checkpoints;
            }
            return line;
        });
    }

    /** The probes asked for (attached to the trainer), or null when --probe-every is 0. */
    private Probes probes(TrainConfig cfg, Trainer trainer) {
        if (probeEvery < 0) throw new UsageException("--probe-every must be >= 0, got " + probeEvery);
        if (probeEvery == 0) {
            if (probeNeurons != null) throw new UsageException("--probe-neurons needs --probe-every N > 0");
            return null;
        }
        if (!(trainer.target() instanceof SparseParity parity)) {
            throw new UsageException("--probe-every reads weights on and off the parity's support: it needs --target parity");
        }
        int units = trainer.model().firstLayerUnits();
        int[] js = probeNeurons != null ? probeNeurons.stream().mapToInt(Integer::intValue).toArray()
                : java.util.stream.IntStream.range(0, Math.min(4, units)).toArray();
        for (int j : js) {
            if (j < 0 || j >= units) throw new UsageException("--probe-neurons " + j + " outside [0," + units + ")");
        }
        PopGradKernels pg = null;
        // the exact population gradient exists for the ReLU MLP only; other models get the weight probes alone
        if (cfg.n() <= probePopgradMaxN && trainer.model() instanceof BitMlp mlp && mlp.net().activation.isRelu()) {
            PopulationGradient.checkFits(cfg.n(), cfg.width());
            pg = PopGrads.byName(cfg.kernels());
        }
        Probes p = new Probes(trainer.model(), parity, js, pg, cfg.loss());
        trainer.probe(probeEvery, p);
        return p;
    }

    /** What is about to run; Fmt, not printf: the first printf of a process costs ~30 ms of locale loading. */
    private static void printHeader(PrintWriter o, Trainer trainer, TrainConfig c) {
        Setup s = c.setup();
        o.println("task    " + trainer.target().describe());
        o.println("model   " + trainer.model().describe() + ", batch " + c.batch() + ", lr " + c.lr()
                + (s.layerLr() == null ? "" : " (per layer " + s.layerLr() + ")") + (s.schedule().equals("none") ? "" : " schedule " + s.schedule())
                + ", wd " + c.wd() + ", " + s.optimizer().describe() + ", " + c.loss().name().toLowerCase(Locale.ROOT) + " loss, " + s.model().init() + " init, seed " + c.seed());
        if (!s.withOptimizer(OptimizerSpec.SGD).isDefault()) {
            o.println("data    " + s.inputs() + " inputs, " + (s.trainSize() > 0 ? s.trainSize() + " fixed training samples cycled in order"
                    : "a fresh batch every step") + (s.labelNoise() > 0 ? ", training labels flipped with probability " + s.labelNoise() : ""));
        }
    }

    /** How the run went, in a few lines. */
    private static void printSummary(PrintWriter o, RunResult r) {
        TrainConfig c = r.config();
        Setup s = c.setup();
        boolean binary = Double.isNaN(r.finalEvalMse());
        String criterion = binary ? "accuracy >= " + c.targetAccuracy() + " on " + c.evalSamples() + " samples"
                : "eval MSE <= " + s.targetMse() + " × Var(target) on " + c.evalSamples() + " samples";
        o.println(r.diverged() ? "DIVERGED at step " + r.steps()
                : r.solved() ? "solved  t_c = " + r.tC() + " (" + criterion + ", checked every " + c.evalEvery() + " steps, "
                        + Fmt.fixed(r.solveSeconds(), 3) + " s)"
                : "not solved in " + r.steps() + " steps (" + criterion + ")");
        String quality = binary ? "final eval accuracy " + Fmt.fixed(r.finalEvalAccuracy(), 4) : "final eval MSE " + Fmt.sig(r.finalEvalMse(), 4);
        if (!Double.isNaN(r.finalTrainAccuracy())) quality += ", final train accuracy " + Fmt.fixed(r.finalTrainAccuracy(), 4);
        o.println("run     " + r.steps() + " steps in " + Fmt.fixed(r.trainSeconds(), 3) + " s = " + Fmt.rate(r.stepsPerSecond())
                + " steps/s over the whole run (JIT warm-up and checks included), final loss " + Fmt.sig(r.finalLoss(), 4) + ", " + quality);
        o.println(speedLine(c, r));
        o.println("kernels " + r.kernels() + " (provider: " + r.kernelSelection() + "), JDK " + r.jdk());
        if (r.speedup() != null) {
            SpeedupResult sp = r.speedup();
            o.println("speedup " + sp.vectorKernels() + " / scalar = " + Fmt.fixed(sp.vectorOverScalar(), 2) + "x (" + Fmt.whole(sp.vectorStepsPerSecond())
                    + " vs " + Fmt.whole(sp.scalarStepsPerSecond()) + " steps/s warm, medians of " + sp.rounds() + " alternating "
                    + Fmt.fixed(sp.roundSeconds(), 1) + " s rounds)");
        }
    }

    /**
     * The rate the run had reached at its end (its last check interval, training steps only) and which code ran it: the
     * whole-run rate of a short run is mostly the JIT's warm-up.
     */
    static String speedLine(TrainConfig c, RunResult r) {
        long last = r.steps() % c.evalEvery() == 0 ? Math.min(c.evalEvery(), r.steps()) : r.steps() % c.evalEvery();
        String line = "speed   " + Fmt.rate(r.lastStepsPerSecond()) + " steps/s over the last " + last + " steps (training only)";
        long twin = r.twinSteps();
        if (twin < 0) return line;
        if (twin >= r.steps()) {
            return line + ", all on the plain-Java twin of the vector kernels (same bits): the Vector API code takes over in runs"
                    + " that train longer than 2 s, once the JIT has compiled it";
        }
        return line + ", on the Vector API code" + (r.threads() > 1 ? " on " + r.threads() + " threads" : "")
                + (twin > 0 ? " (its plain-Java twin ran the first " + twin + " steps, same bits, on one thread)" : "");
    }

    /** The curve as CSV; coefficient columns are named {@code fhat_} + the monomial ({@code fhat_1} for the constant). */
    static String csv(List<CurvePoint> curve, List<int[]> tracked) {
        List<String> header = new ArrayList<>(List.of("step", "loss", "eval_accuracy", "eval_scored", "eval_set", "train_accuracy", "eval_mse"));
        for (int[] m : tracked) header.add("fhat_" + Monomials.columnName(m));
        List<List<String>> rows = new ArrayList<>();
        for (CurvePoint p : curve) {
            List<String> row = new ArrayList<>(List.of(String.valueOf(p.step()), num(p.loss()), num(p.evalAccuracy()),
                    String.valueOf(p.evalScored()), p.evalScored() == 0 ? "none" : p.full() ? "full" : "partial", num(p.trainAccuracy()),
                    num(p.evalMse())));
            for (int q = 0; q < tracked.size(); q++) row.add(p.coefficients() == null ? "" : num(p.coefficients()[q]));
            rows.add(row);
        }
        return Csv.write(header, rows);
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }
}
