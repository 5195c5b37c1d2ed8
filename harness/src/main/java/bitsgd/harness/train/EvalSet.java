package bitsgd.harness.train;

import bitsgd.harness.task.Target;
import bitsgd.kernel.bits.BitBatch;
import bitsgd.kernel.mlp.Mlp2;
import bitsgd.kernel.mlp.MlpKernels;
import java.util.random.RandomGenerator;

/**
 * A fixed set of fresh samples with their labels, stored as chunks: the first chunk holds the first
 * {@value #QUICK} samples (the quick check), the rest are chunks of {@value #CHUNK}. The samples do
 * not depend on the chunking: chunks are filled in order from one stream, 64 bits per draw.
 *
 * <p>Early stop (DESIGN.md §8, generalised): a check is passed when the whole set has at most
 * {@code maxErrors} errors, so scoring stops as soon as the errors seen exceed that. With the paper's
 * criterion (100% correct, maxErrors = 0) a check far from solved costs one chunk of {@value #QUICK}
 * samples, while "passed" is still decided exactly on the full set.
 */
public final class EvalSet {
    public static final int QUICK = 256;
    public static final int CHUNK = 1024;

    private final BitBatch[] chunks;
    private final float[][] labels;
    private final int size;

    public EvalSet(Target target, int size, RandomGenerator rng) {
        this.size = size;
        int rest = Math.max(0, size - QUICK);
        int count = 1 + (rest + CHUNK - 1) / CHUNK;
        chunks = new BitBatch[count];
        labels = new float[count][];
        for (int c = 0, done = 0; c < count; c++) {
            int len = c == 0 ? Math.min(QUICK, size) : Math.min(CHUNK, size - done);
            chunks[c] = new BitBatch(target.n(), len);
            chunks[c].fillUniform(rng);
            labels[c] = new float[len];
            target.labels(chunks[c], labels[c]);
            done += len;
        }
    }

    public int size() {
        return size;
    }

    /** Largest chunk, for sizing a forward workspace. */
    public int maxChunk() {
        int m = 0;
        for (BitBatch b : chunks) m = Math.max(m, b.size());
        return m;
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
    public Score score(MlpKernels kernels, Mlp2 net, MlpKernels.Workspace ws, float[] f, int maxErrors) {
        int correct = 0, total = 0;
        for (int c = 0; c < chunks.length; c++) {
            kernels.forward(net, chunks[c], f, ws);
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
}
