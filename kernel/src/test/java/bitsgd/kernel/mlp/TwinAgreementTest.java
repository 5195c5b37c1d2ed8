package bitsgd.kernel.mlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import bitsgd.kernel.Kernels;
import bitsgd.kernel.bits.BitBatch;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The twin against the vector kernels: the same bits, not a tolerance, for every parameter after every step,
 * every loss and every forward output, over awkward shapes, both activations, every loss, split rates. Both run
 * thousands of calls first so C2 has compiled them (the twin's loops are auto-vectorized there, the vector code
 * intrinsified), and the comparison runs again compiled.
 */
class TwinAgreementTest {
    static MlpKernels vector, twin;

    @BeforeAll
    static void setUp() {
        assumeTrue(Kernels.vectorAvailable(), "vector kernels unavailable: " + Kernels.vectorUnavailableReason());
        vector = Kernels.vectorMlp();
        twin = new TwinMlpKernels(VectorMlpKernels.lanes());
    }

    /** Runs {@code steps} steps of both from one start and asserts bit equality throughout. */
    static void same(int n, int h, int batch, long seed, Activation act, Loss loss, float lr1, float lr2, float wd, int steps) {
        SplittableRandom rng = new SplittableRandom(seed);
        Mlp2 start = new Mlp2(n, h, act).initUniform(rng);
        Mlp2 v = start.copy(), t = start.copy();
        MlpKernels.Workspace wv = vector.workspace(n, h, batch), wt = twin.workspace(n, h, batch);
        BitBatch x = new BitBatch(n, batch);
        float[] y = new float[batch], fv = new float[batch], ft = new float[batch];
        String what = "n=" + n + " h=" + h + " B=" + batch + " " + act + " " + loss + " lr=" + lr1 + "/" + lr2;
        for (int s = 0; s < steps; s++) {
            x.fillUniform(rng);
            // a smaller batch now and then: the sample padding of a partial group changes with it
            x.setSize(s % 3 == 2 && batch > 1 ? batch - 1 : batch);
            for (int b = 0; b < batch; b++) y[b] = rng.nextBoolean() ? 1f : -1f;
            float lv = vector.step(v, x, y, loss, lr1, lr2, wd, wv);
            float lt = twin.step(t, x, y, loss, lr1, lr2, wd, wt);
            assertEquals(Float.floatToIntBits(lv), Float.floatToIntBits(lt), what + " loss at step " + s);
            if (!v.bitEquals(t)) throw new AssertionError(what + ": parameters differ after step " + s + ", max |diff| " + v.maxAbsDiff(t));
            vector.forward(v, x, fv, wv);
            twin.forward(t, x, ft, wt);
            for (int b = 0; b < x.size(); b++) {
                assertEquals(Float.floatToIntBits(fv[b]), Float.floatToIntBits(ft[b]), what + " f[" + b + "] at step " + s);
            }
            x.setSize(batch);
        }
    }

    static void sweep(int steps) {
        int lanes = VectorMlpKernels.lanes();
        int[] ns = {1, 3, 4, 5, 20, 63, 64, 65, 130};
        int[] hs = {1, lanes - 1, lanes, lanes + 1, 2 * lanes, 2 * lanes + 3, 3 * lanes + 5, 100, 1000};
        int[] bs = {1, 3, 4, 5, 32, 33};
        long seed = 1;
        for (int n : ns) {
            for (int h : hs) {
                if (h < 1) continue;
                for (int b : bs) {
                    Loss loss = Loss.values()[(int) (seed % Loss.values().length)];
                    same(n, h, b, seed, Activation.RELU, loss, 0.1f, 0.05f, 0.01f, steps);
                    if (seed % 3 == 0) same(n, h, b, seed, Activation.pow(3), loss, 0.01f, 0.005f, 0.01f, steps);
                    seed++;
                }
            }
        }
    }

    @Test
    void twinMatchesVectorBitForBitOverAwkwardShapes() {
        sweep(3);
    }

    @Test
    void stillBitForBitOnceBothAreCompiled() {
        // thousands of calls on small awkward shapes: C2 compiles both (the INVOC_COUNT lesson)
        for (int r = 0; r < 300; r++) {
            same(9, 2 * VectorMlpKernels.lanes() + 3, 7, r, Activation.RELU, Loss.HINGE, 0.1f, 0.1f, 0.01f, 10);
            if (r % 4 == 0) same(6, VectorMlpKernels.lanes() + 1, 5, r, Activation.pow(2), Loss.SQUARE, 0.01f, 0.01f, 0f, 10);
        }
        sweep(3);
        same(50, 1000, 32, 7, Activation.RELU, Loss.HINGE, 0.1f, 0.1f, 0.01f, 200);
    }

    @Test
    void pathologicalValuesMatchToo() {
        // zero weights and a zero output bias: ties at z = 0 and ±0 everywhere
        Mlp2 v = new Mlp2(10, 37), t = new Mlp2(10, 37);
        MlpKernels.Workspace wv = vector.workspace(10, 37, 6), wt = twin.workspace(10, 37, 6);
        BitBatch x = new BitBatch(10, 6);
        x.fillUniform(new SplittableRandom(3));
        float[] y = {1, -1, 1, -1, 1, 1};
        for (int s = 0; s < 5; s++) {
            assertEquals(Float.floatToIntBits(vector.step(v, x, y, Loss.HINGE, 0.1f, 0.1f, 0.01f, wv)),
                    Float.floatToIntBits(twin.step(t, x, y, Loss.HINGE, 0.1f, 0.1f, 0.01f, wt)));
            assertEquals(true, v.bitEquals(t), "after step " + s);
        }
    }
}
