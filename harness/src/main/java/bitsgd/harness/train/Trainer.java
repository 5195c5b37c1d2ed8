package bitsgd.harness.train;

import bitsgd.harness.model.Init;
import bitsgd.harness.task.SparseParity;
import bitsgd.harness.task.Target;
import bitsgd.harness.train.RunStreams.Stream;
import bitsgd.kernel.Kernels;
import bitsgd.kernel.bits.BitBatch;
import bitsgd.kernel.mlp.Mlp2;
import bitsgd.kernel.mlp.MlpKernels;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Online SGD on a sparse parity: a fresh batch from the data stream every step, a fixed eval set
 * from the eval stream, a convergence check every {@code evalEvery} steps (and after the last step).
 *
 * <p>"Solved" = accuracy of sign(f) ≥ {@code targetAccuracy} on the full eval set (default 100%; f = 0 is
 * an error); t_c is the first checked step where that holds, so it is exact at the check resolution. A step whose batch loss
 * is NaN or infinite stops the run as diverged.
 *
 * <p>Optional, both off by default and set before {@link #run}: a {@link Probe} called at step 0 and every
 * {@code probeEvery} steps (and after the last step), whose wall time is left out of the run's timings; and
 * random labels (the control of PROTOCOLS.md §A (c)): every label replaced by an independent random sign
 * drawn from the run's NOISE stream, so the data and init streams are the same as the real run's.
 */
public final class Trainer {
    private final TrainConfig cfg;
    private final MlpKernels kernels;
    private final SparseParity target;
    private final Mlp2 net;
    private final RandomGenerator data;
    private final RandomGenerator evalRng;
    private final RandomGenerator noiseRng;
    private boolean ran;
    private Probe probe;
    private long probeEvery;
    private boolean randomLabels;

    /** Looks at the net during training; must not change it nor draw from the run's streams. */
    public interface Probe {
        /** Called with the live parameters after {@code step} steps (0 = the initial net). */
        void at(long step, Mlp2 net);
    }

    /** Validates the config and sets up the run; the kernels are looked up by {@code cfg.kernels()}. */
    public Trainer(TrainConfig cfg) {
        this(cfg.validate(), Kernels.mlp(cfg.kernels()));
    }

    /** As above with explicit kernels (ignores {@code cfg.kernels()}). */
    public Trainer(TrainConfig cfg, MlpKernels kernels) {
        this.cfg = cfg.validate();
        this.kernels = kernels;
        RunStreams streams = new RunStreams(cfg.seed());
        this.target = target(cfg, streams);
        this.net = initialNet(cfg, streams);
        this.data = streams.get(Stream.DATA);
        this.evalRng = streams.get(Stream.EVAL);
        this.noiseRng = streams.get(Stream.NOISE);
    }

    /** Calls {@code p} at step 0, every {@code every} steps and after the last step. */
    public Trainer probe(long every, Probe p) {
        if (every < 1) throw new IllegalArgumentException("probe period must be >= 1, got " + every);
        this.probeEvery = every;
        this.probe = p;
        return this;
    }

    /** Replace every training label by an independent random sign from the NOISE stream (eval labels stay χ_S). */
    public Trainer randomLabels(boolean on) {
        this.randomLabels = on;
        return this;
    }

    public boolean randomLabels() {
        return randomLabels;
    }

    /** The config's --secret, or a uniformly random k-subset drawn from the task stream. */
    public static SparseParity target(TrainConfig cfg, RunStreams streams) {
        return cfg.secret() == null
                ? SparseParity.random(cfg.n(), cfg.k(), streams.get(Stream.TASK))
                : SparseParity.of(cfg.n(), cfg.secret().stream().mapToInt(Integer::intValue).toArray());
    }

    /** The PyTorch-default initial net of this config's seed (the init stream only). */
    public static Mlp2 initialNet(TrainConfig cfg, RunStreams streams) {
        Mlp2 m = new Mlp2(cfg.n(), cfg.width());
        Init.pytorchDefault(m, streams.get(Stream.INIT));
        return m;
    }

    /** The provider's start-up line when these are its kernels, else who chose them. */
    private String selection() {
        return kernels == Kernels.mlp() ? Kernels.selection() : kernels.name() + " (chosen by --kernels " + cfg.kernels() + ")";
    }

    public Target target() {
        return target;
    }

    /** The live parameters (trained in place by {@link #run}). */
    public Mlp2 net() {
        return net;
    }

    public MlpKernels kernels() {
        return kernels;
    }

    /**
     * Runs to the first solved check (if {@code stopOnSolve}), divergence, or the step budget.
     * Once per trainer: a second call would continue the data and eval streams, not repeat the run.
     */
    public RunResult run(Consumer<CurvePoint> curve) {
        if (ran) throw new IllegalStateException("a Trainer runs once; make a new one for another run");
        ran = true;
        EvalSet eval = new EvalSet(target, cfg.evalSamples(), evalRng);
        int batch = cfg.batch();
        BitBatch x = new BitBatch(cfg.n(), batch);
        float[] y = new float[batch];
        MlpKernels.Workspace ws = kernels.workspace(cfg.n(), cfg.width(), batch);
        MlpKernels.Workspace evalWs = kernels.workspace(cfg.n(), cfg.width(), eval.maxChunk());
        float[] f = new float[eval.maxChunk()];
        float lr = (float) cfg.lr(), wd = (float) cfg.wd();
        int maxErrors = cfg.maxEvalErrors();

        Long tC = null;
        Double solveSeconds = null;
        boolean diverged = false;
        double lossSum = 0;
        long lossCount = 0;
        double lastLoss = Double.NaN;
        long t = 0;
        long evalNanos = 0;
        long probeNanos = 0;
        if (probe != null) probe.at(0, net);
        long start = System.nanoTime();
        while (t < cfg.maxSteps()) {
            x.fillUniform(data);
            target.labels(x, y);
            if (randomLabels) randomSigns(y, batch, noiseRng);
            float l = kernels.step(net, x, y, cfg.loss(), lr, lr, wd, ws);
            t++;
            if (probe != null && t % probeEvery == 0) {
                long p0 = System.nanoTime();
                probe.at(t, net);
                probeNanos += System.nanoTime() - p0;
            }
            lossSum += l;
            lossCount++;
            if (!Float.isFinite(l)) {
                diverged = true;
                lastLoss = l;
                curve.accept(new CurvePoint(t, lossSum / lossCount, Double.NaN, 0, false));
                break;
            }
            if (t % cfg.evalEvery() == 0 || t == cfg.maxSteps()) {
                long e0 = System.nanoTime();
                EvalSet.Score s = eval.score(kernels, net, evalWs, f, maxErrors);
                evalNanos += System.nanoTime() - e0;
                lastLoss = lossSum / lossCount;
                curve.accept(new CurvePoint(t, lastLoss, s.accuracy(), s.total(), s.full()));
                lossSum = 0;
                lossCount = 0;
                if (EvalSet.passed(s, maxErrors) && tC == null) {
                    tC = t;
                    solveSeconds = (System.nanoTime() - start - probeNanos) * 1e-9;
                    if (cfg.stopOnSolve()) break;
                }
            }
        }
        double seconds = (System.nanoTime() - start - probeNanos) * 1e-9;
        if (probe != null && t % probeEvery != 0) probe.at(t, net);
        double finalAccuracy = eval.score(kernels, net, evalWs, f, eval.size()).accuracy();
        List<Integer> secret = Arrays.stream(target.secret()).boxed().toList();
        return new RunResult(cfg, tC != null, diverged, tC, solveSeconds, t, lastLoss, finalAccuracy, seconds, evalNanos * 1e-9,
                t / seconds, kernels.name(), selection(), Runtime.version().toString(), secret, null);
    }

    /** y[0..count) ← independent uniform ±1, 64 signs per draw. */
    static void randomSigns(float[] y, int count, RandomGenerator rng) {
        for (int b = 0; b < count; b += 64) {
            long bits = rng.nextLong();
            for (int i = b, end = Math.min(count, b + 64); i < end; i++, bits >>>= 1) y[i] = (bits & 1) == 0 ? 1f : -1f;
        }
    }
}
