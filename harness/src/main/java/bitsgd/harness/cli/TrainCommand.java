package bitsgd.harness.cli;

import bitsgd.harness.UsageException;
import bitsgd.harness.io.AtomicFiles;
import bitsgd.harness.io.Json;
import bitsgd.harness.model.BitMlp;
import bitsgd.harness.model.ModelSpec;
import bitsgd.harness.popgrad.PopulationGradient;
import bitsgd.harness.probe.Probes;
import bitsgd.harness.task.SparseParity;
import bitsgd.harness.train.CurvePoint;
import bitsgd.harness.train.RunResult;
import bitsgd.harness.train.Speedup;
import bitsgd.harness.train.Setup;
import bitsgd.harness.train.SpeedupResult;
import bitsgd.harness.train.TrainConfig;
import bitsgd.harness.train.Trainer;
import bitsgd.kernel.Kernels;
import bitsgd.kernel.mlp.Loss;
import bitsgd.kernel.popgrad.PopGradKernels;
import bitsgd.kernel.popgrad.PopGrads;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bitsgd train}: one online-SGD run on a sparse parity. Parse → run → print. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a network with SGD on a Boolean target (default: a 2-layer ReLU MLP, online, on a k-sparse parity over {±1}^n).")
public final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--n", required = true, description = "Input dimension.")
    int n;

    @Option(names = "--k", description = "Parity degree |S| (may be omitted when --secret is given).")
    Integer k;

    @Option(names = "--target", defaultValue = "parity", paramLabel = "SPEC",
            description = "parity | staircase:d | double-staircase:d1,d2 | chi:d | monomials:'x1 + x1*x2 + 0.5*x3' | majority (default: ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--arch", defaultValue = "mlp", description = "mlp | neuron | polynet | resnet (default: ${DEFAULT-VALUE}).")
    String arch;

    @Option(names = "--activation", description = "mlp: relu | pow (z^k); neuron: sin | zigzag | zigzag-inf | poly; resnet: relu (default: relu, sin for neuron).")
    String activation;

    @Option(names = "--degree", defaultValue = "0", description = "k of z^k, of the k-zigzag and the degree-k polynomial, PolyNet's factors (default: 0 = --k).")
    int degree;

    @Option(names = "--depth", defaultValue = "2", description = "ResNet layers L (n→W, (L−2)×(W→W) with skips, W→1) (default: ${DEFAULT-VALUE}).")
    int depth;

    @Option(names = "--second-layer", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Neuron nets: f = a·σ(w·x+b)+c (default) or, with --no-second-layer, f = σ(w·x+b).")
    boolean secondLayer;

    @Option(names = "--init", defaultValue = "uniform", description = "uniform (PyTorch default) | gaussian (Kaiming) | bernoulli | sign (default: ${DEFAULT-VALUE}).")
    String init;

    @Option(names = "--width", description = "Hidden units of mlp and resnet (default: " + TrainConfig.DEFAULT_WIDTH + ").")
    Integer widthOption;

    @Option(names = "--batch", defaultValue = "" + TrainConfig.DEFAULT_BATCH, description = "Fresh samples per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "" + TrainConfig.DEFAULT_LR, description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--wd", defaultValue = "0", description = "Weight decay, torch.optim.SGD style (default: ${DEFAULT-VALUE}).")
    double wd;

    @Option(names = "--layer-lr", split = ",", paramLabel = "ETA", description = "Per-layer learning rates, first layer first (default: --lr for every layer).")
    List<Double> layerLr;

    @Option(names = "--schedule", defaultValue = "none", description = "none | halve:P | steps:P:f0,f1,... (learning-rate factor per period of P steps; default: ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--label-noise", defaultValue = "0", paramLabel = "P", description = "Flip each training label with probability P; eval labels stay clean (default: ${DEFAULT-VALUE}).")
    double labelNoise;

    @Option(names = "--train-size", defaultValue = "0", paramLabel = "M", description = "Finite sample: M fixed training samples cycled in order; 0 = a fresh batch every step (default).")
    int trainSize;

    @Option(names = "--inputs", defaultValue = "pm1", description = "pm1 | biased:P | gaussian (the last two need --arch resnet; default: ${DEFAULT-VALUE}).")
    String inputs;

    @Option(names = "--target-mse", defaultValue = "0.05", paramLabel = "F",
            description = "Real-valued targets: solved when eval MSE <= F × Var(target) (default: ${DEFAULT-VALUE}).")
    double targetMse;

    @Option(names = "--track-prefixes", defaultValue = "0", paramLabel = "D",
            description = "Record f̂_{1:j} = E[f(x) x1⋯xj] for j = 0..D at every check into curve.csv (default: 0 = off).")
    int trackPrefixes;

    @Option(names = "--score-mse", description = "Score a ±1 target by eval MSE (solved by --target-mse), as the staircase paper does for chi:d.")
    boolean scoreMse;

    @Option(names = "--loss", defaultValue = "hinge", description = "hinge | square | logistic | correlation (default: ${DEFAULT-VALUE}).")
    Loss loss;

    @Option(names = "--seed", defaultValue = "0", description = "Run seed; init, secret, data and eval streams are split from it (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--max-steps", defaultValue = "" + TrainConfig.DEFAULT_MAX_STEPS, description = "Step budget (default: ${DEFAULT-VALUE}).")
    long maxSteps;

    @Option(names = "--eval-every", defaultValue = "" + TrainConfig.DEFAULT_EVAL_EVERY,
            description = "Convergence check period in steps; t_c is reported at this resolution (default: ${DEFAULT-VALUE}).")
    long evalEvery;

    @Option(names = "--eval-samples", defaultValue = "" + TrainConfig.DEFAULT_EVAL_SAMPLES,
            description = "Fixed fresh eval set, drawn once per run (default: ${DEFAULT-VALUE}).")
    int evalSamples;

    @Option(names = "--target-accuracy", defaultValue = "" + TrainConfig.DEFAULT_TARGET_ACCURACY,
            description = "Solved = accuracy on the eval set >= this (default: ${DEFAULT-VALUE}, every sample right).")
    double targetAccuracy;

    @Option(names = "--kernels", defaultValue = "auto", description = "auto | scalar | vector (default: ${DEFAULT-VALUE}).")
    String kernels;

    @Option(names = "--secret", split = ",", paramLabel = "I", description = "Fix S, 0-based, e.g. 0,1,2 (default: random per seed).")
    List<Integer> secret;

    @Option(names = "--stop-on-solve", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Stop at the first solved check (default: ${DEFAULT-VALUE}; --no-stop-on-solve runs all steps).")
    boolean stopOnSolve;

    @Option(names = "--json", description = "Print the result as one JSON object on the last stdout line.")
    boolean json;

    @Option(names = "--out", paramLabel = "DIR", description = "Write curve.csv and result.json into DIR (atomically).")
    Path out;

    @Option(names = "--speedup", description = "Afterwards, time the scalar and vector kernels side by side on this config.")
    boolean speedup;

    @Option(names = "--random-labels", description = "Control run: every training label is an independent random sign (NOISE stream); eval stays χ_S.")
    boolean randomLabels;

    @Option(names = "--probe-every", defaultValue = "0", paramLabel = "N",
            description = "Hidden-progress probes every N steps into probes.csv (ρ_t, weights on/off S, exact Fourier gap); 0 = off (default).")
    long probeEvery;

    @Option(names = "--probe-neurons", split = ",", paramLabel = "J", description = "Neurons with their own probe columns (default: 0,1,2,3 or fewer).")
    List<Integer> probeNeurons;

    @Option(names = "--probe-popgrad-max-n", defaultValue = "20", paramLabel = "N",
            description = "Probe the exact population gradient only while n <= this (2^n inputs per probe; default: ${DEFAULT-VALUE}).")
    int probePopgradMaxN;

    TrainConfig config() {
        boolean parity = target.trim().equals("parity");
        int kk = k != null ? k : secret != null ? secret.size() : parity ? -1 : 1;   // other targets: k is only --degree's default
        if (kk == -1) throw new UsageException("missing --k (or --secret)");
        String a = arch.trim().toLowerCase(Locale.ROOT);
        if (widthOption != null && (a.equals("neuron") || a.equals("polynet"))) {
            throw new UsageException("--width does not apply to --arch " + a + (a.equals("polynet")
                    ? ": its k linear factors are set by --degree (default --k)" : ": it is a single neuron"));
        }
        int width = widthOption != null ? widthOption : TrainConfig.DEFAULT_WIDTH;
        ModelSpec model = new ModelSpec(arch, width, depth, activation != null ? activation : ModelSpec.defaultActivation(arch), degree,
                secondLayer, init);
        Setup setup = new Setup(target, model, layerLr, schedule, labelNoise, trainSize, inputs, targetMse, trackPrefixes, scoreMse);
        return new TrainConfig(n, kk, width, batch, lr, wd, loss, seed, maxSteps, evalEvery, evalSamples, targetAccuracy, kernels,
                secret, stopOnSolve, setup).validate();
    }

    @Override
    public Integer call() throws Exception {
        TrainConfig cfg = config();
        if (out != null && Files.exists(out) && !Files.isDirectory(out)) {
            throw new UsageException("--out " + out + " exists and is not a directory");
        }
        PrintWriter o = spec.commandLine().getOut();
        Trainer trainer = new Trainer(cfg).randomLabels(randomLabels);
        Probes probes = probes(cfg, trainer);
        if (out != null) Files.createDirectories(out);

        List<CurvePoint> curve = new ArrayList<>();
        RunResult r = trainer.run(curve::add);
        String speedupNote = null;
        if (speedup && !cfg.setup().equals(Setup.DEFAULT)) {
            speedupNote = "speedup: measured for the online parity ReLU MLP only";
        } else if (speedup) {
            if (Kernels.vectorAvailable()) {
                r = r.withSpeedup(Speedup.measure(cfg, Kernels.scalarMlp(), Kernels.vectorMlp(), 3, 0.3, 0.5));
            } else {
                speedupNote = "speedup: not measured, " + Kernels.vectorUnavailableReason();
            }
        }
        printSummary(o, trainer, r);
        if (speedupNote != null) o.println(speedupNote);
        Map<String, Object> record = r.toMap();
        if (randomLabels) record.put("random_labels", true);
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
            AtomicFiles.write(out.resolve("result.json"), Json.line(record) + "\n");
        }
        if (json) o.println(Json.line(record));
        o.flush();
        return Main.OK; // a diverged run is a result, not a failure
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

    private static void printSummary(PrintWriter o, Trainer trainer, RunResult r) {
        TrainConfig c = r.config();
        o.printf(Locale.ROOT, "task    %s%n", trainer.target().describe());
        Setup s = c.setup();
        o.printf(Locale.ROOT, "model   %s, batch %d, lr %s%s%s, wd %s, %s loss, %s init, seed %d%n", trainer.model().describe(),
                c.batch(), c.lr(), s.layerLr() == null ? "" : " (per layer " + s.layerLr() + ")",
                s.schedule().equals("none") ? "" : " schedule " + s.schedule(), c.wd(), c.loss().name().toLowerCase(Locale.ROOT),
                s.model().init(), c.seed());
        if (!s.equals(Setup.DEFAULT)) {
            o.printf(Locale.ROOT, "data    %s inputs, %s%s%n", s.inputs(), s.trainSize() > 0 ? s.trainSize() + " fixed training samples cycled in order"
                    : "a fresh batch every step", s.labelNoise() > 0 ? ", training labels flipped with probability " + s.labelNoise() : "");
        }
        boolean binary = Double.isNaN(r.finalEvalMse());
        String criterion = binary ? String.format(Locale.ROOT, "accuracy >= %s on %d samples", c.targetAccuracy(), c.evalSamples())
                : String.format(Locale.ROOT, "eval MSE <= %s × Var(target) on %d samples", s.targetMse(), c.evalSamples());
        String outcome = r.diverged() ? "DIVERGED at step " + r.steps()
                : r.solved() ? String.format(Locale.ROOT, "solved  t_c = %d (%s, checked every %d steps, %.3f s)",
                        r.tC(), criterion, c.evalEvery(), r.solveSeconds())
                : "not solved in " + r.steps() + " steps (" + criterion + ")";
        o.println(outcome);
        String quality = binary ? String.format(Locale.ROOT, "final eval accuracy %.4f", r.finalEvalAccuracy())
                : String.format(Locale.ROOT, "final eval MSE %.4g", r.finalEvalMse());
        if (!Double.isNaN(r.finalTrainAccuracy())) quality += String.format(Locale.ROOT, ", final train accuracy %.4f", r.finalTrainAccuracy());
        o.printf(Locale.ROOT, "run     %d steps in %.3f s = %.0f steps/s, final loss %.4g, %s%n",
                r.steps(), r.trainSeconds(), r.stepsPerSecond(), r.finalLoss(), quality);
        o.printf(Locale.ROOT, "kernels %s (provider: %s), JDK %s%n", r.kernels(), r.kernelSelection(), r.jdk());
        if (r.speedup() != null) {
            SpeedupResult sp = r.speedup();
            o.printf(Locale.ROOT, "speedup %s / scalar = %.2fx (%.0f vs %.0f steps/s, medians of %d alternating %.1f s rounds)%n",
                    sp.vectorKernels(), sp.vectorOverScalar(), sp.vectorStepsPerSecond(), sp.scalarStepsPerSecond(),
                    sp.rounds(), sp.roundSeconds());
        }
    }

    /** The curve as CSV; coefficient columns are named {@code fhat_} + the monomial ({@code fhat_1} for the constant). */
    static String csv(List<CurvePoint> curve, List<int[]> tracked) {
        StringBuilder sb = new StringBuilder("step,loss,eval_accuracy,eval_scored,eval_set,train_accuracy,eval_mse");
        for (int[] m : tracked) sb.append(",fhat_").append(monomialName(m));
        sb.append('\n');
        for (CurvePoint p : curve) {
            sb.append(p.step()).append(',').append(num(p.loss())).append(',').append(num(p.evalAccuracy())).append(',')
                    .append(p.evalScored()).append(',').append(p.evalScored() == 0 ? "none" : p.full() ? "full" : "partial")
                    .append(',').append(num(p.trainAccuracy())).append(',').append(num(p.evalMse()));
            for (int q = 0; q < tracked.size(); q++) sb.append(',').append(p.coefficients() == null ? "" : num(p.coefficients()[q]));
            sb.append('\n');
        }
        return sb.toString();
    }

    /** {0, 1, 4} → {@code x1x2x5}; the empty monomial → {@code 1}. */
    static String monomialName(int[] m) {
        if (m.length == 0) return "1";
        StringBuilder sb = new StringBuilder();
        for (int i : m) sb.append('x').append(i + 1);
        return sb.toString();
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }
}
