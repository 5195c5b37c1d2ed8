package bitsgd.bench;

import bitsgd.kernel.bits.BitBatch;
import bitsgd.kernel.bits.Bits;
import bitsgd.kernel.mlp.Mlp2;
import java.util.SplittableRandom;

/** Shared set-up for the benchmarks: PyTorch-style init and rings of random parity batches. */
final class BenchData {
    private BenchData() {}

    /** Parses "n x k x h x B", e.g. "50x3x1000x32" (x, not comma: JMH splits -p values on commas). */
    static int[] shape(String s) {
        String[] p = s.split("[x,]");
        if (p.length != 4) throw new IllegalArgumentException("shape must be nxkxhxB (e.g. 50x3x1000x32): " + s);
        int[] v = new int[4];
        for (int i = 0; i < 4; i++) v[i] = Integer.parseInt(p[i].trim());
        return v;
    }

    /** nn.Linear default init: U(−1/√fan_in, 1/√fan_in) for weights and biases. */
    static Mlp2 initNet(int n, int h, long seed) {
        return new Mlp2(n, h).initUniform(new SplittableRandom(seed));
    }

    /** {@code count} random batches of B samples, and their labels y = χ_S(x) for a random S of size k. */
    static BitBatch[] batches(int n, int k, int batch, int count, long seed, float[][] labelsOut) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] support = rng.ints(0, n).distinct().limit(k).toArray();
        long[] mask = Bits.mask(n, support);
        BitBatch[] xs = new BitBatch[count];
        for (int t = 0; t < count; t++) {
            xs[t] = new BitBatch(n, batch);
            xs[t].fillUniform(rng);
            xs[t].columns();   // build the transposed view now, like a trainer that fills ahead
            if (labelsOut != null) {
                labelsOut[t] = new float[batch];
                for (int b = 0; b < batch; b++) labelsOut[t][b] = Bits.parity(xs[t].rows(), b, xs[t].words(), mask);
            }
        }
        return xs;
    }

    static boolean finite(Mlp2 net) {
        for (float v : net.w) if (!Float.isFinite(v)) return false;
        for (float v : net.b) if (!Float.isFinite(v)) return false;
        for (float v : net.a) if (!Float.isFinite(v)) return false;
        return Float.isFinite(net.c);
    }
}
