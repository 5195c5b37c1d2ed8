package bitsgd.harness.validate;

import bitsgd.kernel.bits.BitBatch;
import bitsgd.kernel.dense.DenseKernels;
import bitsgd.kernel.mlp.Activation;
import bitsgd.kernel.mlp.Loss;
import bitsgd.kernel.mlp.Mlp2;
import bitsgd.kernel.mlp.MlpKernels;
import bitsgd.kernel.popgrad.PopGradKernels;
import bitsgd.kernel.popgrad.PopTarget;
import java.util.SplittableRandom;

/**
 * Calls the vector kernels on small shapes that take every branch (column pairs, single blocks, half-width and
 * scalar tails, partial groups of inputs and samples) past C2's compile thresholds, before the checks: without it
 * a check of a few hundred cases runs mostly the Vector API's Java fallback (interpreter and C1), which is not the
 * code a run executes and not the code a CPU- or JIT-specific defect would be in.
 */
final class WarmUp {
    private WarmUp() {}

    /**
     * Calls of each kernel method per shape: past C2's tier-4 thresholds (an invocation count in the thousands, or some
     * hundreds with long loops), measured to compile every vector method before the checks begin.
     */
    static final int CALLS = 2500;

    /** Warms every non-null kernel; {@code lanes} (float lanes of the vector species) shapes the tails. */
    static void run(MlpKernels mlp, DenseKernels dense, PopGradKernels popgrad, int lanes) {
        SplittableRandom rng = new SplittableRandom(12345);
        if (mlp != null) mlp(mlp, lanes, CALLS, rng);
        if (dense != null) dense(dense, lanes, CALLS, rng);
        if (popgrad != null) popgrad(popgrad, lanes, CALLS, rng);
    }

    static void mlp(MlpKernels k, int lanes, int calls, SplittableRandom rng) {
        // {n, h, B}: pairs + single block + tail with a partial last input and sample group; a net narrower than a vector
        int[][] shapes = {{9, 3 * lanes + 3, 7}, {5, Math.max(1, lanes - 1), 4}};
        for (Activation act : new Activation[] {Activation.RELU, Activation.pow(3)}) {
            for (int[] s : shapes) {
                int n = s[0], h = s[1], b = s[2];
                Mlp2 start = new Mlp2(n, h, act), net = start.copy();
                for (int q = 0; q < start.w.length; q++) start.w[q] = (float) rng.nextDouble(-0.3, 0.3);
                for (int j = 0; j < h; j++) {
                    start.b[j] = (float) rng.nextDouble(-0.3, 0.3);
                    start.a[j] = (float) rng.nextDouble(-0.3, 0.3);
                }
                BitBatch x = new BitBatch(n, b);
                x.fillUniform(rng);
                float[] y = new float[b], f = new float[b];
                for (int i = 0; i < b; i++) y[i] = rng.nextBoolean() ? 1f : -1f;
                MlpKernels.Workspace ws = k.workspace(n, h, b);
                for (int t = 0; t < calls; t++) {
                    if (t % 64 == 0) copy(start, net); // small steps from a fixed start: the net never drifts far
                    k.step(net, x, y, Loss.HINGE, 1e-3f, 1e-3f, 0f, ws);
                    k.forward(net, x, f, ws);
                }
            }
        }
    }

    static void dense(DenseKernels k, int lanes, int calls, SplittableRandom rng) {
        // {batch, ins, outs}: outs = two vectors + one + a half + a scalar tail; ins and batch in fours plus a tail
        int[][] shapes = {{5, 7, 3 * lanes + lanes / 2 + 1}, {3, 3 * lanes + 1, lanes + 1}};
        for (int[] s : shapes) {
            int batch = s[0], ins = s[1], outs = s[2];
            float[] in = uniform(batch * ins, rng), w = uniform(ins * outs, rng), bias = uniform(outs, rng);
            float[] dOut = uniform(batch * outs, rng), out = new float[batch * outs], dIn = new float[batch * ins];
            for (int t = 0; t < calls; t++) {
                k.forward(in, batch, ins, w, bias, outs, out);
                k.backwardInput(dOut, batch, outs, w, ins, dIn);
                k.update(in, dOut, batch, ins, outs, w, bias, 1e-6f, 0f);
            }
        }
    }

    static void popgrad(PopGradKernels k, int lanes, int calls, SplittableRandom rng) {
        // {n, h}: 2 inputs (the single-input tails), one block of 2^5 with a padded row, and 4 blocks of 2^8 (L = 8 at h = 100)
        int[][] shapes = {{1, Math.max(1, lanes - 1)}, {5, 2 * lanes + 1}, {10, 100}};
        int[] rounds = {calls, calls, calls / 8}; // the big one's loops are 2^5 times longer
        for (int s = 0; s < shapes.length; s++) {
            int n = shapes[s][0];
            Mlp2 net = new Mlp2(n, shapes[s][1]).initUniform(new java.util.Random(rng.nextLong()));
            PopTarget target = PopTarget.parity(n, 0);
            for (int t = 0; t < rounds[s]; t++) k.compute(net, target, Loss.HINGE, 0);
        }
    }

    private static void copy(Mlp2 from, Mlp2 to) {
        System.arraycopy(from.w, 0, to.w, 0, from.w.length);
        System.arraycopy(from.b, 0, to.b, 0, from.h);
        System.arraycopy(from.a, 0, to.a, 0, from.h);
        to.c = from.c;
    }

    private static float[] uniform(int len, SplittableRandom rng) {
        float[] a = new float[len];
        for (int q = 0; q < len; q++) a[q] = (float) rng.nextDouble(-1, 1);
        return a;
    }
}
