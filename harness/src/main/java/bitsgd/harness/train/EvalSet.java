package bitsgd.harness.train;

import bitsgd.harness.model.Inputs;
import bitsgd.harness.model.Model;
import bitsgd.harness.task.Coefficients;
import bitsgd.harness.task.Target;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A fixed set of samples with their labels, stored as chunks: the first chunk holds the first {@value #QUICK}
 * samples (the quick check), the rest are chunks of {@value #CHUNK}. The samples do not depend on the chunking:
 * chunks are filled in order from one stream. Used for the fresh evaluation set and for the fixed training set
 * of finite-sample runs (whose labels may be noisy).
 *
 * <p>Early stop (docs/architecture.md, convergence checks, generalised): a check is passed when the whole set has at most
 * {@code maxErrors} errors, so scoring stops as soon as the errors seen exceed that. With the paper's
 * criterion (100% correct, maxErrors = 0) a check far from solved costs one chunk of {@value #QUICK}
 * samples, while "passed" is still decided exactly on the full set.
 */
public final class EvalSet {
    public static final int QUICK = 256;
    public static final int CHUNK = 1024;

    private final Inputs[] chunks;
    private final float[][] labels;
    private final int size;

    /** {@code size} samples of {@code dist} labelled by {@code target}, drawn from {@code rng}. */
    public EvalSet(Target target, InputDist dist, int size, RandomGenerator rng) {
        this.size = size;
        int rest = Math.max(0, size - QUICK);
        int count = 1 + (rest + CHUNK - 1) / CHUNK;
        chunks = new Inputs[count];
        labels = new float[count][];
        for (int c = 0, done = 0; c < count; c++) {
            int len = c == 0 ? Math.min(QUICK, size) : Math.min(CHUNK, size - done);
            chunks[c] = dist.newInputs(target.n(), len);
            dist.fill(chunks[c], rng);
            labels[c] = new float[len];
            target.labels(chunks[c], labels[c]);
            done += len;
        }
    }

    /** Uniform ±1 samples (the parity runs). */
    public EvalSet(Target target, int size, RandomGenerator rng) {
        this(target, InputDist.parse("pm1"), size, rng);
    }

    public int size() {
        return size;
    }

    /** Largest chunk, for sizing a forward buffer. */
    public int maxChunk() {
        int m = 0;
        for (Inputs b : chunks) m = Math.max(m, b.size());
        return m;
    }

    /** Flips each label independently with probability p (a noisy training set). */
    public void flipLabels(double p, RandomGenerator rng) {
        for (float[] y : labels) for (int b = 0; b < y.length; b++) if (rng.nextDouble() < p) y[b] = -y[b];
    }

    /** Copies sample {@code index} (0-based over the whole set) into position {@code b} of {@code x}, its label into y[b]. */
    public void copySample(int index, Inputs x, int b, float[] y) {
        int c = index < QUICK ? 0 : 1 + (index - QUICK) / CHUNK;
        int off = c == 0 ? index : (index - QUICK) % CHUNK;
        Inputs src = chunks[c];
        if (src.packed()) {
            int words = src.bits().words();
            System.arraycopy(src.bits().rows(), off * words, x.bits().rows(), b * words, words);
        } else {
            System.arraycopy(src.dense(), off * src.n(), x.dense(), b * x.n(), x.n());
        }
        y[b] = labels[c][off];
    }

    /** Correct predictions out of {@code total} samples; {@code full} when the whole set was scored. */
    public record Score(int correct, int total, boolean full) {
        public double accuracy() { return (double) correct / total; }
        public int errors() { return total - correct; }
    }

    /**
     * Scores sign(f) against the labels; f = 0 (and NaN) count as errors. Stops after the first chunk
     * that takes the errors above {@code maxErrors} (use {@code size()} to score everything).
     */
    public Score score(Model model, float[] f, int maxErrors) {
        int correct = 0, total = 0;
        for (int c = 0; c < chunks.length; c++) {
            model.forward(chunks[c], f);
            float[] y = labels[c];
            for (int b = 0; b < y.length; b++) if (y[b] * f[b] > 0f) correct++;
            total += y.length;
            if (total - correct > maxErrors) break;
        }
        return new Score(correct, total, total == size);
    }

    /** True when {@code s} shows the whole set has at most {@code maxErrors} errors. */
    public static boolean passed(Score s, int maxErrors) {
        return s.full() && s.errors() <= maxErrors;
    }

    /**
     * What one full pass over the set measures: correct signs, mean squared error (y − f)² in double, and
     * f̂_T = E[f(x) χ_T(x)] for {@code monomials} (null when none are asked for).
     */
    public record Pass(int correct, int total, double mse, double[] coefficients) {
        public double accuracy() { return (double) correct / total; }
    }

    /** One forward pass over every chunk, measuring all of {@link Pass} at once. */
    public Pass pass(Model model, float[] f, List<int[]> monomials) {
        int correct = 0;
        double sq = 0;
        double[] coef = monomials.isEmpty() ? null : new double[monomials.size()];
        for (int c = 0; c < chunks.length; c++) {
            model.forward(chunks[c], f);
            float[] y = labels[c];
            for (int b = 0; b < y.length; b++) {
                if (y[b] * f[b] > 0f) correct++;
                double r = (double) y[b] - f[b];
                sq += r * r;
            }
            if (coef != null) {
                double[] part = Coefficients.estimate(chunks[c], f, monomials);
                for (int m = 0; m < coef.length; m++) coef[m] += part[m] * y.length;
            }
        }
        if (coef != null) for (int m = 0; m < coef.length; m++) coef[m] /= size;
        return new Pass(correct, size, sq / size, coef);
    }
}
