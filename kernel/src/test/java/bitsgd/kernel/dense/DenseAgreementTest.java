package bitsgd.kernel.dense;

import static bitsgd.kernel.TestArrays.rand;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import bitsgd.kernel.Kernels;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The vector kernels against the scalar reference on random floats over awkward sizes, after warm-up
 * calls that let C2 compile the vector bodies and their tails (the INVOC_COUNT lesson).
 *
 * <p>forward, update and the fused ReLU layer (forwardRelu, backwardRelu) run the reference's fma chain in every
 * lane, so they must agree bit for bit.
 * backwardInput sums along j in another (fixed) order: allowed |diff| ≤ TOL · outs · Σ_j |dOut[b,j] W[i,j]|,
 * the classic bound for a length-outs float sum, with TOL = 2⁻²⁴ ≈ 6e-8 rounded up to 1e-7.
 */
class DenseAgreementTest {
    static final double TOL = 1e-7;
    static DenseKernels scalar, vector;
    static int lanes;

    @BeforeAll
    static void warmUp() {
        assumeTrue(Kernels.vectorAvailable(), "vector kernels unavailable: " + Kernels.vectorUnavailableReason());
        scalar = Kernels.scalarDense();
        vector = Kernels.vectorDense();
        lanes = VectorDenseKernels.lanes();
        SplittableRandom rng = new SplittableRandom(1);
        // columns: two full vectors + one + a half + a scalar tail, in every kernel; a pair fused with its half (the last)
        int[][] shapes = {{5, 7, 3 * lanes + lanes / 2 + 1}, {4, 9, 2 * lanes + 3}, {3, 3 * lanes + 1, lanes + 1}, {6, 5, 2 * lanes + lanes / 2 + 1}};
        for (int[] s : shapes) {
            int batch = s[0], ins = s[1], outs = s[2];
            float[] in = rand(batch * ins, rng), w = rand(ins * outs, rng), bias = rand(outs, rng), dOut = rand(batch * outs, rng);
            float[] out = new float[batch * outs], dIn = new float[batch * ins], h = new float[batch * outs], delta = new float[batch * outs];
            float[] wt = new float[ins * outs], sqIn = rand(batch * outs, rng), sqW = rand(outs * outs, rng), sqH = new float[batch * outs];
            DenseKernels.transpose(w, ins, outs, wt);
            for (int t = 0; t < 4000; t++) {
                vector.forward(in, batch, ins, w, bias, outs, out);
                vector.backwardInput(dOut, batch, outs, w, ins, dIn);
                vector.update(in, dOut, batch, ins, outs, w, bias, 1e-4f, 1e-4f);
                vector.forwardRelu(in, batch, ins, w, bias, outs, out, h, false);
                vector.backwardRelu(dOut, out, batch, outs, wt, ins, delta, dIn, false);
                vector.forwardRelu(sqIn, batch, outs, sqW, bias, outs, out, sqH, true);
                vector.backwardRelu(dOut, out, batch, outs, sqW, outs, delta, sqH, true);
            }
        }
    }

    @Test
    void providersAgreeOverAwkwardSizes() {
        int[] sizes = {1, lanes - 1, lanes, lanes + 1, 37, 40, 63, 64, 65};
        SplittableRandom rng = new SplittableRandom(2);
        double worst = 0;
        int cases = 0;
        for (int batch : sizes) {
            for (int ins : sizes) {
                for (int outs : sizes) {
                    String what = "B=" + batch + " in=" + ins + " out=" + outs;
                    float[] in = rand(batch * ins, rng), w = rand(ins * outs, rng), bias = rand(outs, rng), dOut = rand(batch * outs, rng);

                    float[] outS = new float[batch * outs], outV = new float[batch * outs];
                    scalar.forward(in, batch, ins, w, bias, outs, outS);
                    vector.forward(in, batch, ins, w, bias, outs, outV);
                    assertBitEqual(outS, outV, what + " forward");

                    float[] dInS = new float[batch * ins], dInV = new float[batch * ins];
                    scalar.backwardInput(dOut, batch, outs, w, ins, dInS);
                    vector.backwardInput(dOut, batch, outs, w, ins, dInV);
                    for (int b = 0; b < batch; b++) {
                        for (int i = 0; i < ins; i++) {
                            double abs = 0;
                            for (int j = 0; j < outs; j++) abs += Math.abs((double) dOut[b * outs + j] * w[i * outs + j]);
                            double allowed = TOL * outs * abs, d = Math.abs(dInS[b * ins + i] - dInV[b * ins + i]);
                            if (allowed > 0) worst = Math.max(worst, d / allowed);
                            assertTrue(d <= allowed, what + " backwardInput [" + b + "," + i + "]: scalar " + dInS[b * ins + i]
                                    + " vector " + dInV[b * ins + i] + " |diff| " + d + " > " + allowed);
                        }
                    }

                    float[] wS = w.clone(), wV = w.clone(), bS = bias.clone(), bV = bias.clone();
                    scalar.update(in, dOut, batch, ins, outs, wS, bS, 0.05f, 0.01f);
                    vector.update(in, dOut, batch, ins, outs, wV, bV, 0.05f, 0.01f);
                    assertBitEqual(wS, wV, what + " update W");
                    assertBitEqual(bS, bV, what + " update bias");
                    float[] wtS = new float[outs * ins], wtV = new float[outs * ins];
                    scalar.update(dOut, in, batch, outs, ins, wtS, null, 0.05f, 0.01f);   // the transpose's update, no bias
                    vector.update(dOut, in, batch, outs, ins, wtV, null, 0.05f, 0.01f);
                    assertBitEqual(wtS, wtV, what + " update without bias");

                    // the fused ReLU layer, with its skip when the layer is square
                    boolean skip = ins == outs;
                    float[] zS = new float[batch * outs], zV = new float[batch * outs], hS = new float[batch * outs], hV = new float[batch * outs];
                    scalar.forwardRelu(in, batch, ins, w, bias, outs, zS, hS, skip);
                    vector.forwardRelu(in, batch, ins, w, bias, outs, zV, hV, skip);
                    assertBitEqual(zS, zV, what + " forwardRelu z");
                    assertBitEqual(hS, hV, what + " forwardRelu h");
                    float[] wt = new float[ins * outs];
                    DenseKernels.transpose(w, ins, outs, wt);
                    float[] deltaS = new float[batch * outs], deltaV = new float[batch * outs];
                    scalar.backwardRelu(dOut, zS, batch, outs, wt, ins, deltaS, dInS, skip);
                    vector.backwardRelu(dOut, zS, batch, outs, wt, ins, deltaV, dInV, skip);
                    assertBitEqual(deltaS, deltaV, what + " backwardRelu delta");
                    assertBitEqual(dInS, dInV, what + " backwardRelu dIn");
                    cases++;
                }
            }
        }
        System.out.printf("DenseAgreementTest: %d shapes, %d lanes, worst backwardInput |diff|/allowed = %.3g%n", cases, lanes, worst);
    }

    static void assertBitEqual(float[] expect, float[] actual, String what) {
        for (int t = 0; t < expect.length; t++) {
            assertEquals(Float.floatToIntBits(expect[t]), Float.floatToIntBits(actual[t]),
                    () -> what + ": scalar " + expect[0] + " vector " + actual[0] + " differ in the last bits");
        }
    }

    /** Arrays longer than the shapes need are fine, and nothing past the shape is written. */
    @Test
    void longerArraysAndUntouchedPadding() {
        int batch = 5, ins = 11, outs = 2 * lanes + 1;
        SplittableRandom rng = new SplittableRandom(3);
        float[] in = rand(batch * ins + 7, rng), w = rand(ins * outs + 9, rng), bias = rand(outs + 2, rng);
        float[] dOut = rand(batch * outs + 4, rng);
        for (DenseKernels k : new DenseKernels[] {scalar, vector}) {
            float[] out = new float[batch * outs + 3];
            out[batch * outs] = 42f;
            k.forward(in, batch, ins, w, bias, outs, out);
            assertEquals(42f, out[batch * outs], k.name());
            float[] dIn = new float[batch * ins + 3];
            dIn[batch * ins] = 42f;
            k.backwardInput(dOut, batch, outs, w, ins, dIn);
            assertEquals(42f, dIn[batch * ins], k.name());
            float[] w2 = w.clone(), b2 = bias.clone();
            k.update(in, dOut, batch, ins, outs, w2, b2, 0.1f, 0.1f);
            assertEquals(w[ins * outs], w2[ins * outs], k.name());
            assertEquals(bias[outs], b2[outs], k.name());
        }
    }
}
