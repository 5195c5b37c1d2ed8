package bitsgd.harness.train;

import bitsgd.harness.UsageException;
import bitsgd.harness.model.BitMlp;
import bitsgd.harness.model.Inputs;
import bitsgd.harness.model.Model;
import bitsgd.harness.model.Models;
import bitsgd.harness.task.Monomials;
import bitsgd.harness.task.SparseParity;
import bitsgd.harness.task.Targets;
import bitsgd.harness.task.Target;
import bitsgd.harness.train.RunStreams.Stream;
import bitsgd.kernel.Kernels;
import bitsgd.kernel.mlp.Mlp2;
import bitsgd.kernel.mlp.MlpKernels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * SGD (or another {@link Optimizer}) on any {@link Target} with any {@link Model}: a batch from {@link TrainData} every step (fresh samples,
 * or a fixed training set cycled in order), a fixed eval set from the eval stream, a check every
 * {@code evalEvery} steps (and after the last step).
 *
 * <p>"Solved": for ±1 targets, accuracy of sign(f) ≥ {@code targetAccuracy} on the full eval set (default 100%;
 * f = 0 is an error); for real-valued targets, eval MSE ≤ {@code targetMse} × Var(target). t_c is the first
 * checked step where that holds, so it is exact at the check resolution. A step whose batch loss is NaN or
 * infinite stops the run as diverged.
 *
 * <p>Optional, both off by default and set before {@link #run}: a {@link Probe} called at step 0 and every
 * {@code probeEvery} steps (and after the last step), whose wall time is left out of the run's timings; and
 * random labels (the control of docs/protocols.md §A (c)): every label replaced by an independent random sign
 * drawn from the run's NOISE stream, so the data and init streams are the same as the real run's.
 */
public final class Trainer {
    private final TrainConfig cfg;
    private final Target target;
    private final Model model;
    private final Optimizer optimizer;
    private final InputDist dist;
    private final LrSchedule schedule;
    private final float[] baseLr;
    private final List<int[]> tracked;
    private final MixRandom data;
    private final RandomGenerator evalRng;
    private final MixRandom noiseRng;
    /** Steps taken so far, for a progress display on another thread (an ordered store per step: no fence on the hot path). */
    private final AtomicLong stepsDone = new AtomicLong();
    private boolean ran;
    private Probe probe;
    private long probeEvery;
    private boolean randomLabels;
    private long checkpointEvery;
    private Consumer<TrainState> checkpoint;
    private TrainState resumeFrom;

    /** Looks at the model during training; must not change it nor draw from the run's streams. */
    public interface Probe {
        /** Called with the live model after {@code step} steps (0 = the initial model). */
        void at(long step, Model model);
    }

    /** Validates the config and sets up the run; fast kernels are looked up by {@code cfg.kernels()}. */
    public Trainer(TrainConfig cfg) {
        this(cfg, null);
    }

    /** As above with explicit MLP kernels (ignores {@code cfg.kernels()} for the MLP; null: by the config). */
    public Trainer(TrainConfig cfg, MlpKernels kernels) {
        this.cfg = cfg.validate();
        RunStreams streams = new RunStreams(cfg.seed());
        Setup setup = cfg.setup();
        this.dist = InputDist.parse(setup.inputs());
        this.target = Tasks.target(cfg, streams);
        Model m = Models.create(cfg.model(), cfg.n(), cfg.k(), streams.get(Stream.INIT), cfg.kernels());
        if (kernels != null && m instanceof BitMlp b) m = new BitMlp(b.net(), kernels);
        this.model = m;
        this.optimizer = new Optimizer(cfg.setup().optimizer(), model);
        if (model.needsBits() && !dist.packed()) {
            throw new UsageException("--arch " + cfg.model().arch() + " reads bit-packed ±1 inputs; --inputs " + dist
                    + " needs a dense model (--arch resnet)");
        }
        this.schedule = LrSchedule.parse(setup.schedule());
        this.baseLr = layerRates(cfg, model);
        this.tracked = Tasks.tracked(target, setup.trackPrefixes());
        this.data = streams.get(Stream.DATA);
        this.evalRng = streams.get(Stream.EVAL);
        this.noiseRng = streams.get(Stream.NOISE);
    }

    private static float[] layerRates(TrainConfig cfg, Model model) {
        float[] lr = new float[model.layers()];
        List<Double> per = cfg.setup().layerLr();
        if (per == null) {
            Arrays.fill(lr, (float) cfg.lr());
            return lr;
        }
        if (per.size() != lr.length) {
            throw new UsageException("--layer-lr has " + per.size() + " rates but " + model.describe() + " has " + lr.length
                    + " layers " + Arrays.toString(model.layerNames()));
        }
        for (int g = 0; g < lr.length; g++) lr[g] = (float) (double) per.get(g);
        return lr;
    }

    /** Calls {@code p} at step 0, every {@code every} steps and after the last step. */
    public Trainer probe(long every, Probe p) {
        if (every < 1) throw new IllegalArgumentException("probe period must be >= 1, got " + every);
        this.probeEvery = every;
        this.probe = p;
        return this;
    }

    /**
     * Hands {@code save} the run's whole state after every check at a multiple of {@code every} steps (a multiple of
     * the check period, so no loss is pending) and once more when the run ends.
     */
    public Trainer checkpoints(long every, Consumer<TrainState> save) {
        if (every < 1 || every % cfg.evalEvery() != 0) {
            throw new UsageException("--checkpoint-every must be a positive multiple of --eval-every " + cfg.evalEvery() + ", got " + every);
        }
        this.checkpointEvery = every;
        this.checkpoint = save;
        return this;
    }

    /**
     * Continues the run from {@code s} (taken from this config's run) instead of from step 0: the same steps, checks
     * and bits as the run that was never stopped. The model's parameters are set now.
     */
    public Trainer resume(TrainState s) {
        if (s.step() > cfg.maxSteps()) {
            throw new UsageException("the checkpoint is at step " + s.step() + ", past --max-steps " + cfg.maxSteps());
        }
        if (s.parameters().length != model.parameterCount()) {
            throw new UsageException("the checkpoint holds " + s.parameters().length + " parameters, " + model.describe() + " has "
                    + model.parameterCount());
        }
        model.setParameters(s.parameters());
        try {
            optimizer.restore(s.optimizerState(), s.optimizerSteps());
        } catch (IllegalArgumentException e) {
            throw new UsageException("the checkpoint's optimizer state does not fit --optimizer " + cfg.setup().optimizer() + ": " + e.getMessage());
        }
        this.randomLabels = s.randomLabels();
        this.resumeFrom = s;
        return this;
    }

    /** Replace every training label by an independent random sign from the NOISE stream (eval labels stay clean). */
    public Trainer randomLabels(boolean on) {
        this.randomLabels = on;
        return this;
    }

    public boolean randomLabels() {
        return randomLabels;
    }

    /**
     * Splits each step of this run over up to {@code threads} threads (the MLP's hidden units, vector kernels): the
     * same bits as one thread. A model that cannot split refuses more than one with a usage error.
     */
    public Trainer threads(int threads) {
        if (threads < 1) throw new UsageException("--threads must be >= 1, got " + threads);
        if (!model.splitOver(threads)) {
            throw new UsageException("--threads " + threads + " splits the hidden units of --arch mlp on the vector kernels; "
                    + model.describe() + " runs on one thread");
        }
        return this;
    }

    /** The config's --secret, or a uniformly random k-subset drawn from the task stream. */
    public static SparseParity parity(TrainConfig cfg, RunStreams streams) {
        return cfg.secret() == null
                ? SparseParity.random(cfg.n(), cfg.k(), streams.get(Stream.TASK))
                : SparseParity.of(cfg.n(), cfg.secret().stream().mapToInt(Integer::intValue).toArray());
    }

    /** The PyTorch-default initial 2-layer MLP of this config's seed (the init stream only). */
    public static Mlp2 initialNet(TrainConfig cfg, RunStreams streams) {
        return new Mlp2(cfg.n(), cfg.width()).initUniform(streams.get(Stream.INIT));
    }

    public Target target() {
        return target;
    }

    public Model model() {
        return model;
    }

    /** The run's optimizer (its state and step count, for checkpoints). */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** The live 2-layer MLP parameters (trained in place by {@link #run}); only for {@code --arch mlp}. */
    public Mlp2 net() {
        if (model instanceof BitMlp b) return b.net();
        throw new IllegalStateException(model.describe() + " is not the 2-layer MLP");
    }

    /** The monomials whose coefficients f̂_T each check records (empty: none). */
    public List<int[]> tracked() {
        return tracked;
    }

    /** The provider's start-up line when the provider chose the kernels, else who chose them. */
    private String selection() {
        if (model instanceof BitMlp b) {
            return b.kernels() == Kernels.mlp() ? Kernels.selection() : b.kernels().name() + " (chosen by --kernels " + cfg.kernels() + ")";
        }
        return Kernels.selection();
    }

    /** What ran: for the MLP its kernels, and for an optimizer other than SGD also the gradient pass's (it does not fuse the update). */
    private String kernelName() {
        if (!(model instanceof BitMlp b)) return model.describe();
        return cfg.setup().optimizer().isSgd() ? b.kernels().name() : b.kernels().name() + ", gradient pass " + b.gradientKernelsName() + " on one thread";
    }

    /** Steps taken so far by {@link #run} (any thread may ask; it may lag the training thread by a step). */
    public long stepsDone() {
        return stepsDone.get();
    }

    /**
     * Runs to the first solved check (if {@code stopOnSolve}), divergence, or the step budget.
     * Once per trainer: a second call would continue the data and eval streams, not repeat the run.
     */
    public RunResult run(Consumer<CurvePoint> curve) {
        if (ran) throw new IllegalStateException("a Trainer runs once; make a new one for another run");
        ran = true;
        Setup setup = cfg.setup();
        TrainData source = setup.trainSize() > 0
                ? TrainData.fixed(target, dist, setup.trainSize(), setup.labelNoise(), randomLabels, data, noiseRng)
                : TrainData.online(target, dist, setup.labelNoise(), randomLabels, data, noiseRng);
        EvalSet eval = new EvalSet(target, dist, cfg.evalSamples(), evalRng);
        EvalSet trainSet = source.fixedSet();
        int batch = cfg.batch();
        Inputs x = dist.newInputs(cfg.n(), batch);
        float[] y = new float[batch];
        float[] f = new float[Math.max(eval.maxChunk(), trainSet == null ? 0 : trainSet.maxChunk())];
        float[] lr = baseLr.clone();
        float wd = (float) cfg.wd();
        boolean binary = target.binary() && !setup.scoreByMse();
        int maxErrors = cfg.maxEvalErrors();
        double mseBar = setup.targetMse() * target.variance();

        Long tC = null;
        Double solveSeconds = null;
        boolean diverged = false;
        double lossSum = 0;
        long lossCount = 0;
        double lastLoss = Double.NaN;
        long t = 0;
        long evalNanos = 0;
        long asideNanos = 0;   // probes and checkpoint writes: left out of the timings
        long nextRate = 0;
        double secondsBefore = 0;   // training seconds of the run before its checkpoint
        EvalSet.Score fullScore = null;   // the last check that scored the whole eval set, and its step
        long fullScoreStep = -1;
        List<CurvePoint> points = checkpoint == null ? null : new ArrayList<>();   // the curve so far, for checkpoints
        Consumer<CurvePoint> emit = points == null ? curve : curve.andThen(points::add);
        TrainState from = resumeFrom;
        if (from != null) {
            // the eval set and a fixed training set were drawn again above, as at step 0; the streams continue
            data.restore(from.dataStream());
            noiseRng.restore(from.noiseStream());
            source.skip(from.step(), batch);
            t = from.step();
            nextRate = t;
            tC = from.tC();
            solveSeconds = from.solveSeconds();
            secondsBefore = from.trainSeconds();
            evalNanos = Math.round(from.evalSeconds() * 1e9);
            fullScore = from.fullScore();
            fullScoreStep = from.fullScoreStep();
            if (!from.curve().isEmpty()) lastLoss = from.curve().get(from.curve().size() - 1).loss();
            for (CurvePoint p : from.curve()) emit.accept(p);
            stepsDone.lazySet(t);
        }
        boolean stopped = tC != null && cfg.stopOnSolve();   // a solved run resumed: nothing left to do
        if (probe != null) probe.at(t, model);
        long start = System.nanoTime();
        // the last check interval's training-only rate: what the run reached at its end, JIT warm-up behind it
        long intervalStart = start, intervalOther = 0, intervalFrom = t;
        double lastRate = Double.NaN;
        while (t < cfg.maxSteps() && !stopped) {
            if (t == nextRate) {   // the schedule's factor changes only at period boundaries
                double factor = schedule.factor(t);
                for (int g = 0; g < lr.length; g++) lr[g] = (float) (baseLr[g] * factor);
                nextRate = schedule.nextChange(t);
            }
            source.next(x, y);
            float l = optimizer.step(model, x, y, cfg.loss(), lr, wd);
            t++;
            stepsDone.lazySet(t);
            if (probe != null && t % probeEvery == 0) {
                long p0 = System.nanoTime();
                probe.at(t, model);
                long p = System.nanoTime() - p0;
                asideNanos += p;
                intervalOther += p;
            }
            lossSum += l;
            lossCount++;
            if (!Float.isFinite(l)) {
                diverged = true;
                lastLoss = l;
                emit.accept(new CurvePoint(t, lossSum / lossCount, Double.NaN, 0, false));
                break;
            }
            if (t % cfg.evalEvery() == 0 || t == cfg.maxSteps()) {
                long e0 = System.nanoTime();
                long trainingNanos = e0 - intervalStart - intervalOther;
                if (trainingNanos > 0) lastRate = (t - intervalFrom) / (trainingNanos * 1e-9);
                lastLoss = lossSum / lossCount;
                lossSum = 0;
                lossCount = 0;
                boolean passed;
                CurvePoint point;
                if (binary) {
                    EvalSet.Score s = eval.score(model, f, maxErrors);
                    passed = EvalSet.passed(s, maxErrors);
                    if (s.full()) {
                        fullScore = s;
                        fullScoreStep = t;
                    }
                    double trainAcc = trainSet == null ? Double.NaN : trainSet.score(model, f, trainSet.size()).accuracy();
                    double[] coef = tracked.isEmpty() ? null : eval.pass(model, f, tracked).coefficients();
                    point = new CurvePoint(t, lastLoss, s.accuracy(), s.total(), s.full(), trainAcc, Double.NaN, coef);
                } else {
                    EvalSet.Pass p = eval.pass(model, f, tracked);   // MSE, accuracy and coefficients from one forward pass
                    passed = p.mse() <= mseBar;
                    double acc = target.binary() ? p.accuracy() : Double.NaN;
                    double trainAcc = trainSet != null && target.binary() ? trainSet.score(model, f, trainSet.size()).accuracy() : Double.NaN;
                    point = new CurvePoint(t, lastLoss, acc, eval.size(), true, trainAcc, p.mse(), p.coefficients());
                }
                long e1 = System.nanoTime();
                evalNanos += e1 - e0;
                intervalStart = e1;
                intervalOther = 0;
                intervalFrom = t;
                emit.accept(point);
                if (passed && tC == null) {
                    tC = t;
                    solveSeconds = secondsBefore + (System.nanoTime() - start - asideNanos) * 1e-9;
                    if (cfg.stopOnSolve()) stopped = true;
                }
                if (checkpoint != null && !stopped && t % checkpointEvery == 0 && t < cfg.maxSteps()) {
                    long c0 = System.nanoTime();
                    checkpoint.accept(state(t, points, tC, solveSeconds, secondsBefore + (c0 - start - asideNanos) * 1e-9, evalNanos,
                            fullScore, fullScoreStep));
                    long c = System.nanoTime() - c0;   // writing a checkpoint is no training: left out like the probes
                    asideNanos += c;
                    intervalStart += c;
                }
            }
        }
        double seconds = secondsBefore + (System.nanoTime() - start - asideNanos) * 1e-9;
        if (probe != null && t % probeEvery != 0) probe.at(t, model);
        // the run's last state, also when it stopped early: a later --resume with more steps continues it
        if (checkpoint != null && !diverged) checkpoint.accept(state(t, points, tC, solveSeconds, seconds, evalNanos, fullScore, fullScoreStep));
        double finalAccuracy, finalMse;
        if (binary && fullScore != null && fullScoreStep == t) {
            // the model has not moved since that check scored every sample: do not score them twice
            finalAccuracy = fullScore.accuracy();
            finalMse = Double.NaN;
        } else {
            EvalSet.Pass last = eval.pass(model, f, List.of());
            finalAccuracy = target.binary() ? last.accuracy() : Double.NaN;
            finalMse = binary ? Double.NaN : last.mse();
        }
        double finalTrain = trainSet == null || !target.binary() ? Double.NaN : trainSet.score(model, f, trainSet.size()).accuracy();
        List<Integer> secret = target instanceof SparseParity p ? Arrays.stream(p.secret()).boxed().toList() : null;
        return new RunResult(cfg, tC != null, diverged, tC, solveSeconds, t, lastLoss, finalAccuracy, seconds, evalNanos * 1e-9,
                t / seconds, lastRate, model.twinSteps(), kernelName(), selection(), Runtime.version().toString(), secret, null, finalMse, finalTrain,
                target.describe(), leap(), model.threads());
    }

    private TrainState state(long t, List<CurvePoint> points, Long tC, Double solveSeconds, double seconds, long evalNanos,
                             EvalSet.Score fullScore, long fullScoreStep) {
        return new TrainState(t, randomLabels, model.parameters(), data.state(), noiseRng.state(), points, tC, solveSeconds, seconds,
                evalNanos * 1e-9, fullScore, fullScoreStep, optimizer.state(), optimizer.steps());
    }

    /** The target's Leap, or null (majority); a k-sparse parity's is k, without the general computation's streams. */
    private Integer leap() {
        if (target instanceof SparseParity p) return p.secret().length;
        return Targets.monomialsOf(target).map(Monomials::leap).orElse(null);
    }

    /** y[0..count) ← independent uniform ±1, 64 signs per draw. */
    static void randomSigns(float[] y, int count, RandomGenerator rng) {
        for (int b = 0; b < count; b += 64) {
            long bits = rng.nextLong();
            for (int i = b, end = Math.min(count, b + 64); i < end; i++, bits >>>= 1) y[i] = (bits & 1) == 0 ? 1f : -1f;
        }
    }
}
