package bitsgd.kernel.dense;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import bitsgd.kernel.Kernels;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Every provider against numbers known exactly: a tiny case worked by hand for each routine, and small
 * integer matrices over awkward sizes, whose products and sums are exact in float in any order.
 */
class DenseReferenceTest {

    static List<DenseKernels> providers() {
        List<DenseKernels> ks = new ArrayList<>();
        ks.add(Kernels.scalarDense());
        if (Kernels.vectorAvailable()) ks.add(Kernels.vectorDense());
        return ks;
    }

    //   in = | 1  2 |     W = |  1  0  2   |     bias = (0.5, −1, 0)     dOut = | 1  2  3 |
    //        | 3 −1 |         | −1  1  0.5 |                                    | 0 −1  1 |
    static final float[] IN = {1, 2, 3, -1};
    static final float[] W = {1, 0, 2, -1, 1, 0.5f};
    static final float[] BIAS = {0.5f, -1, 0};
    static final float[] DOUT = {1, 2, 3, 0, -1, 1};

    @Test
    void forwardByHand() {
        // row 0: 0.5+1−2, −1+0+2, 0+2+1        row 1: 0.5+3+1, −1+0−1, 0+6−0.5
        float[] expect = {-0.5f, 1, 3, 4.5f, -2, 5.5f};
        for (DenseKernels k : providers()) {
            float[] out = new float[6];
            k.forward(IN, 2, 2, W, BIAS, 3, out);
            assertArrayEquals(expect, out, k.name());
        }
    }

    @Test
    void backwardInputByHand() {
        // dIn[0] = (1·1 + 2·0 + 3·2, 1·(−1) + 2·1 + 3·0.5) = (7, 2.5);  dIn[1] = (0 + 0 + 2, 0 − 1 + 0.5) = (2, −0.5)
        float[] expect = {7, 2.5f, 2, -0.5f};
        for (DenseKernels k : providers()) {
            float[] dIn = new float[4];
            k.backwardInput(DOUT, 2, 3, W, 2, dIn);
            assertArrayEquals(expect, dIn, k.name());
        }
    }

    @Test
    void updateByHand() {
        // G = inᵀ dOut = | 1 −1 6 |, gb = (1, 1, 4); η = 0.5, λ = 0.25: p ← p − 0.5 (g + 0.25 p)
        //                | 2  5 5 |
        float[] expectW = {0.375f, 0.5f, -1.25f, -1.875f, -1.625f, -2.0625f};
        float[] expectB = {-0.0625f, -1.375f, -2f};
        for (DenseKernels k : providers()) {
            float[] w = W.clone(), b = BIAS.clone();
            k.update(IN, DOUT, 2, 2, 3, w, b, 0.5f, 0.25f);
            assertArrayEquals(expectW, w, k.name());
            assertArrayEquals(expectB, b, k.name());
        }
    }

    /** Entries in {−3..3}: every product and partial sum is a small integer, exact in float whatever the order. */
    @Test
    void integerMatricesAreExactAtAwkwardSizes() {
        int lanes = Kernels.vectorAvailable() ? VectorDenseKernels.lanes() : 8;
        int[] sizes = {1, 3, lanes - 1, lanes, lanes + 1, lanes + lanes / 2, 2 * lanes + lanes / 2 + 3, 37, 65};
        SplittableRandom rng = new SplittableRandom(5);
        for (int batch : new int[] {1, 4, 5, 37}) {
            for (int ins : sizes) {
                for (int outs : sizes) {
                    float[] in = ints(batch * ins, rng), w = ints(ins * outs, rng), bias = ints(outs, rng), dOut = ints(batch * outs, rng);
                    long[] fwd = new long[batch * outs], bwd = new long[batch * ins], gw = new long[ins * outs], gb = new long[outs];
                    for (int b = 0; b < batch; b++) {
                        for (int j = 0; j < outs; j++) {
                            long s = (long) bias[j];
                            for (int i = 0; i < ins; i++) s += (long) in[b * ins + i] * (long) w[i * outs + j];
                            fwd[b * outs + j] = s;
                        }
                        for (int i = 0; i < ins; i++) {
                            long s = 0;
                            for (int j = 0; j < outs; j++) s += (long) dOut[b * outs + j] * (long) w[i * outs + j];
                            bwd[b * ins + i] = s;
                        }
                    }
                    for (int i = 0; i < ins; i++) {
                        for (int j = 0; j < outs; j++) {
                            long s = 0;
                            for (int b = 0; b < batch; b++) s += (long) in[b * ins + i] * (long) dOut[b * outs + j];
                            gw[i * outs + j] = s;
                        }
                    }
                    for (int j = 0; j < outs; j++) for (int b = 0; b < batch; b++) gb[j] += (long) dOut[b * outs + j];

                    for (DenseKernels k : providers()) {
                        String what = k.name() + " B=" + batch + " in=" + ins + " out=" + outs;
                        float[] out = new float[batch * outs], dIn = new float[batch * ins];
                        k.forward(in, batch, ins, w, bias, outs, out);
                        k.backwardInput(dOut, batch, outs, w, ins, dIn);
                        for (int t = 0; t < out.length; t++) assertEquals(fwd[t], out[t], 0f, what + " forward " + t);
                        for (int t = 0; t < dIn.length; t++) assertEquals(bwd[t], dIn[t], 0f, what + " backwardInput " + t);
                        // η = 1, λ = 0: p − G exactly
                        float[] w2 = w.clone(), b2 = bias.clone();
                        k.update(in, dOut, batch, ins, outs, w2, b2, 1f, 0f);
                        for (int t = 0; t < w2.length; t++) assertEquals(w[t] - gw[t], w2[t], 0f, what + " update W " + t);
                        for (int t = 0; t < outs; t++) assertEquals(bias[t] - gb[t], b2[t], 0f, what + " update bias " + t);
                    }
                }
            }
        }
    }

    static float[] ints(int len, SplittableRandom rng) {
        float[] a = new float[len];
        for (int t = 0; t < len; t++) a[t] = rng.nextInt(-3, 4);
        return a;
    }

    @Test
    void shortArraysAreRefused() {
        for (DenseKernels k : providers()) {
            assertThrows(IllegalArgumentException.class, () -> k.forward(new float[3], 2, 2, W, BIAS, 3, new float[6]));
            assertThrows(IllegalArgumentException.class, () -> k.backwardInput(DOUT, 2, 3, new float[5], 2, new float[4]));
            assertThrows(IllegalArgumentException.class, () -> k.update(IN, DOUT, 2, 2, 3, W.clone(), new float[2], 0.1f, 0f));
        }
    }

    @Test
    void providerUsesTheMlpDecision() {
        assertSame(Kernels.scalarDense(), Kernels.dense("scalar"));
        assertSame(Kernels.scalarDense(), Kernels.dense(" Scalar "));
        assertSame(Kernels.dense(), Kernels.dense("auto"));
        // one decision for both families: both scalar or both the vector twins of one width
        assertEquals(Kernels.mlp().name(), Kernels.dense().name());
        if (Kernels.vectorAvailable()) assertSame(Kernels.vectorDense(), Kernels.dense("vector"));
        else assertThrows(IllegalStateException.class, () -> Kernels.dense("vector"));
        assertThrows(IllegalArgumentException.class, () -> Kernels.dense("gpu"));
    }
}
