package bitsgd.harness.train;

import bitsgd.harness.UsageException;
import bitsgd.harness.model.ModelSpec;
import bitsgd.harness.model.Models;
import bitsgd.harness.task.Target;
import bitsgd.harness.task.Targets;
import bitsgd.kernel.mlp.Loss;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One online-SGD run of a 2-layer ReLU MLP on a k-sparse parity (docs/protocols.md §A).
 *
 * @param n            input dimension
 * @param k            parity degree |S|
 * @param width        hidden units h
 * @param batch        samples per step B (a fresh batch every step)
 * @param lr           learning rate η
 * @param wd           weight decay λ (torch.optim.SGD semantics: p ← p − η(g + λp))
 * @param loss         per-sample loss
 * @param seed         the one 64-bit seed every random stream is split from
 * @param maxSteps     step budget
 * @param evalEvery    convergence check period in steps (t_c is reported at this resolution)
 * @param evalSamples  size of the fixed fresh evaluation set
 * @param targetAccuracy solved ⇔ accuracy on the eval set ≥ this (1.0: every sample right, the paper's t_c;
 *                     0.9901 on 10,000 samples is the peers' "error < 1%")
 * @param kernels      auto | scalar | vector
 * @param secret       the support S (0-based, |S| = k), or null to draw it from the seed's task stream
 * @param stopOnSolve  stop at the first check with 100% eval accuracy (false: run all maxSteps)
 * @param setup        target, architecture, inputs, sampling and schedule ({@link Setup#DEFAULT}: online sparse parity, ReLU MLP);
 *                     for targets other than parity, k is only the default degree of the architectures that take one
 */
public record TrainConfig(int n, int k, int width, int batch, double lr, double wd, Loss loss, long seed,
                          long maxSteps, long evalEvery, int evalSamples, double targetAccuracy, String kernels, List<Integer> secret,
                          boolean stopOnSolve, Setup setup) {

    public static final int DEFAULT_WIDTH = 100;
    public static final int DEFAULT_BATCH = 32;
    public static final double DEFAULT_LR = 0.1;
    public static final long DEFAULT_MAX_STEPS = 100_000;
    public static final long DEFAULT_EVAL_EVERY = 100;
    public static final int DEFAULT_EVAL_SAMPLES = 8192;
    public static final double DEFAULT_TARGET_ACCURACY = 1.0;

    public TrainConfig {
        if (secret != null) secret = List.copyOf(secret);
        if (kernels != null) kernels = kernels.trim().toLowerCase(Locale.ROOT);
        if (setup == null) setup = Setup.DEFAULT;
    }

    /** The sparse-parity ReLU MLP of {@link Setup#DEFAULT}. */
    public TrainConfig(int n, int k, int width, int batch, double lr, double wd, Loss loss, long seed, long maxSteps, long evalEvery,
                       int evalSamples, double targetAccuracy, String kernels, List<Integer> secret, boolean stopOnSolve) {
        this(n, k, width, batch, lr, wd, loss, seed, maxSteps, evalEvery, evalSamples, targetAccuracy, kernels, secret, stopOnSolve,
                Setup.DEFAULT);
    }

    public TrainConfig withSetup(Setup s) {
        return new TrainConfig(n, k, width, batch, lr, wd, loss, seed, maxSteps, evalEvery, evalSamples, targetAccuracy, kernels, secret,
                stopOnSolve, s);
    }

    /** The network: the setup's model with this config's width. */
    public ModelSpec model() {
        return setup.model().withWidth(width);
    }

    /** The defaults for everything but n and k. */
    public static TrainConfig defaults(int n, int k) {
        return new TrainConfig(n, k, DEFAULT_WIDTH, DEFAULT_BATCH, DEFAULT_LR, 0.0, Loss.HINGE, 0L,
                DEFAULT_MAX_STEPS, DEFAULT_EVAL_EVERY, DEFAULT_EVAL_SAMPLES, DEFAULT_TARGET_ACCURACY, "auto", null, true);
    }

    public TrainConfig withSeed(long s) {
        return new TrainConfig(n, k, width, batch, lr, wd, loss, s, maxSteps, evalEvery, evalSamples, targetAccuracy, kernels, secret, stopOnSolve, setup);
    }

    public TrainConfig withKernels(String kern) {
        return new TrainConfig(n, k, width, batch, lr, wd, loss, seed, maxSteps, evalEvery, evalSamples, targetAccuracy, kern, secret, stopOnSolve, setup);
    }

    public TrainConfig withSteps(long max, long every, boolean stop) {
        return new TrainConfig(n, k, width, batch, lr, wd, loss, seed, max, every, evalSamples, targetAccuracy, kernels, secret, stop, setup);
    }

    public TrainConfig withEvalSamples(int m) {
        return new TrainConfig(n, k, width, batch, lr, wd, loss, seed, maxSteps, evalEvery, m, targetAccuracy, kernels, secret, stopOnSolve, setup);
    }

    public TrainConfig withTargetAccuracy(double a) {
        return new TrainConfig(n, k, width, batch, lr, wd, loss, seed, maxSteps, evalEvery, evalSamples, a, kernels, secret, stopOnSolve, setup);
    }

    public TrainConfig withTraining(int w, int b, double eta, double lambda, Loss l) {
        return new TrainConfig(n, k, w, b, eta, lambda, l, seed, maxSteps, evalEvery, evalSamples, targetAccuracy, kernels, secret, stopOnSolve, setup);
    }

    /** Most eval errors a solved check may have: accuracy ≥ targetAccuracy on evalSamples samples. */
    public int maxEvalErrors() {
        return evalSamples - (int) Math.ceil(targetAccuracy * evalSamples - 1e-9);
    }

    /** Throws a {@link UsageException} with a one-line message naming the first bad value. */
    public TrainConfig validate() {
        if (n < 1) throw new UsageException("--n must be >= 1, got " + n);
        if (k < 1) throw new UsageException("--k must be >= 1, got " + k);
        if (k > n) throw new UsageException("--k " + k + " exceeds --n " + n);
        if (width < 1) throw new UsageException("--width must be >= 1, got " + width);
        if (batch < 1) throw new UsageException("--batch must be >= 1, got " + batch);
        checkRate("--lr", lr);
        checkRate("--wd", wd);
        if (loss == null) throw new UsageException("--loss must be hinge, square, logistic or correlation");
        if (maxSteps < 1) throw new UsageException("--max-steps must be >= 1, got " + maxSteps);
        if (evalEvery < 1) throw new UsageException("--eval-every must be >= 1, got " + evalEvery);
        if (evalSamples < 1) throw new UsageException("--eval-samples must be >= 1, got " + evalSamples);
        if (!(targetAccuracy > 0 && targetAccuracy <= 1)) {
            throw new UsageException("--target-accuracy must be in (0, 1], got " + targetAccuracy);
        }
        if (kernels == null || !List.of("auto", "scalar", "vector").contains(kernels)) {
            throw new UsageException("--kernels must be auto, scalar or vector, got '" + kernels + "'");
        }
        if (secret != null) {
            if (secret.size() != k) throw new UsageException("--secret has " + secret.size() + " indices but --k is " + k);
            var seen = new HashSet<Integer>();
            for (int i : secret) {
                if (i < 0 || i >= n) throw new UsageException("--secret index " + i + " outside [0," + n + ")");
                if (!seen.add(i)) throw new UsageException("--secret index " + i + " repeated");
            }
        }
        if (!(setup.labelNoise() >= 0 && setup.labelNoise() <= 0.5)) {
            throw new UsageException("--label-noise must be in [0, 0.5], got " + setup.labelNoise());
        }
        if (setup.trainSize() < 0) throw new UsageException("--train-size must be >= 0 (0 = online), got " + setup.trainSize());
        if (!(setup.targetMse() > 0) || !Double.isFinite(setup.targetMse())) {
            throw new UsageException("--target-mse must be finite and > 0, got " + setup.targetMse());
        }
        if (setup.trackPrefixes() < 0) throw new UsageException("--track-prefixes must be >= 0, got " + setup.trackPrefixes());
        if (setup.layerLr() != null) for (double v : setup.layerLr()) checkRate("--layer-lr", v);
        if (secret != null && !setup.target().equals("parity")) {
            throw new UsageException("--secret fixes a parity's support; --target " + setup.target() + " has its own");
        }
        Models.validate(model(), n, k);
        Target target = Targets.parse(setup.target(), n, k, secret, new SplittableRandom(0));   // a throwaway stream: only the spec is checked
        if (!target.binary() && (loss == Loss.HINGE || loss == Loss.LOGISTIC)) {
            throw new UsageException("--loss " + loss.name().toLowerCase(Locale.ROOT) + " needs a ±1 target, and --target " + setup.target()
                    + " is real-valued: use --loss square (as the staircase and leap papers do)");
        }
        if (!(target.variance() > 0)) {
            throw new UsageException("--target " + setup.target() + " is constant (variance 0): there is nothing to learn");
        }
        LrSchedule.parse(setup.schedule());
        InputDist.parse(setup.inputs());
        // every float array the run allocates is indexed by int
        checkSize("--n × --width", (long) n * width);
        checkSize("--batch × --width", (long) batch * width);
        checkSize("--eval-samples × ⌈--n/64⌉", (long) evalSamples * ((n + 63) / 64));
        if (readsFloats()) {
            checkSize("--eval-samples × --n", (long) evalSamples * n);
            checkSize("--train-size × --n", (long) setup.trainSize() * n);
        }
        checkSize("--train-size × ⌈--n/64⌉", (long) setup.trainSize() * ((n + 63) / 64));
        if (model().arch().equals("resnet")) checkSize("--width × --width", (long) width * width);
        if (model().arch().equals("transformer")) checkSize("--width × 4 --width", 4L * width * width);
        long need = estimatedBytes(), have = Runtime.getRuntime().maxMemory();
        if (need > have) {
            throw new UsageException(String.format(Locale.ROOT,
                    "this run needs about %.1f GiB (parameters, batch and eval scratch, the eval%s set) but the JVM may use %.1f GiB;"
                            + " shrink --n/--width/--batch/--eval-samples%s or raise -Xmx (BITSGD_JAVA_OPTS)",
                    need / GIB, setup.trainSize() > 0 ? " and training" : "", have / GIB,
                    setup.trainSize() > 0 ? "/--train-size" : ""));
        }
        return this;
    }

    private static final double GIB = 1024.0 * 1024 * 1024;

    /**
     * Memory a run holds, roughly, so that a run too large for the heap is refused before it starts: the parameters
     * and their update scratch, the step's and the eval's scratch planes, and every sample it keeps (the eval set, the
     * fixed training set): bits, plus ±1 or real floats for models and inputs that read floats.
     */
    public long estimatedBytes() {
        ModelSpec m = model();
        long words = (n + 63) / 64;
        long perSample = 8 * words + (readsFloats() ? 4L * n : 0) + 4;   // bits, floats, label
        long samples = perSample * ((long) evalSamples + setup.trainSize() + 2L * batch);
        long model = switch (m.arch()) {
            case "resnet" -> {
                long params = (long) n * width + (long) (m.depth() - 2) * width * width + width + (long) (m.depth() - 1) * width + 1;
                yield 8 * params + 4L * batch * width * (2L * (m.depth() - 1) + 3) + 12L * 1024 * width;
            }
            case "transformer" -> {
                // parameters and gradients (twice: per tensor and flat); per kept block the B·n tokens' activations
                // (h, qkv, attention, m: 6W; pre- and post-ReLU: 8W; the probabilities: heads·n), a 1024-sample eval chunk's one block
                long w = width, params = (long) n * w + w + m.depth() * (12 * w * w + 9 * w) + w + 1;
                long perToken = 14 * w + (long) m.heads() * n;
                yield 12 * params + 4L * batch * n * (m.depth() * perToken + 6 * w) + 4L * 1024 * n * (perToken + 2 * w);
            }
            // the kernels' own scratch, once for the vector code and once for its twin: the sample × input-group nibble
            // indices of a training batch and of a 1024-sample eval chunk, and the 4-bit tables (16 pairs of float
            // lane blocks per group of 4 inputs)
            case "mlp" -> 8L * n * width + 16L * batch * width + 8L * 1024 * width + 2 * (2L * (1024 + batch) * n + 600L * n);
            default -> 16L * n * Math.max(1, Math.max(m.degree(), k)) + 64L * 1024 * Math.max(1, Math.max(m.degree(), k));
        };
        return model + samples + (64L << 20);
    }

    /** True when the run keeps its samples as floats too: the ResNet and the transformer read floats, and so do real-valued inputs. */
    private boolean readsFloats() {
        return model().arch().equals("resnet") || model().arch().equals("transformer") || !InputDist.parse(setup.inputs()).packed();
    }

    private static void checkRate(String name, double v) {
        if (!Double.isFinite(v)) throw new UsageException(name + " must be finite, got " + v);
        if (v < 0) throw new UsageException(name + " must be >= 0, got " + v);
        if (!Float.isFinite((float) v)) throw new UsageException(name + " " + v + " overflows a float");
    }

    private static void checkSize(String what, long size) {
        if (size > Integer.MAX_VALUE - 16) throw new UsageException(what + " = " + size + " is too large for one array");
    }

    /** Every setting of this run by its key ({@link Setting}): what records and {@code --config} files hold. */
    public Map<String, Object> toMap() {
        return Settings.toMap(this);
    }
}
