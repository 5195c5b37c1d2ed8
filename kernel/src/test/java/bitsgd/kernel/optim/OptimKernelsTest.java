package bitsgd.kernel.optim;

import static bitsgd.kernel.TestArrays.rand;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import bitsgd.kernel.Kernels;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The optimizer kernels: the Vector API twin against the scalar reference bit for bit over awkward lengths and
 * sub-ranges (after warm-up calls that let C2 compile the vector bodies), and the scalar reference against the rules
 * in double for a few steps (one float rounding per operation, so a relative 1e-5 is ample).
 */
class OptimKernelsTest {

    @Test
    void vectorAgreesWithScalarBitForBit() {
        assumeTrue(Kernels.vectorAvailable(), "vector kernels unavailable: " + Kernels.vectorUnavailableReason());
        OptimKernels scalar = Kernels.optim("scalar"), vector = Kernels.optim("vector");
        SplittableRandom rng = new SplittableRandom(3);
        for (int round = 0; round < 3; round++) {   // round 0 runs interpreted or C1, the later ones C2-compiled
            for (int len : new int[] {1, 3, 7, 8, 15, 16, 17, 31, 33, 63, 64, 65, 100, 257}) {
                int from = len > 4 ? len / 5 : 0, to = len - (len > 6 ? 2 : 0);
                for (boolean nesterov : new boolean[] {false, true}) {
                    for (float wd : new float[] {0f, 0.01f}) {
                        float[] p = rand(len, rng), g = rand(len, rng), buf = rand(len, rng);
                        float[] p2 = p.clone(), buf2 = buf.clone();
                        for (int t = 0; t < 50; t++) {
                            scalar.momentum(p, g, buf, from, to, 0.05f, wd, 0.9f, nesterov);
                            vector.momentum(p2, g, buf2, from, to, 0.05f, wd, 0.9f, nesterov);
                        }
                        assertArrayEquals(p, p2, "momentum p, len " + len);
                        assertArrayEquals(buf, buf2, "momentum buf, len " + len);
                    }
                }
                for (boolean decoupled : new boolean[] {false, true}) {
                    float[] p = rand(len, rng), g = rand(len, rng), m = new float[len], v = new float[len];
                    float[] p2 = p.clone(), m2 = m.clone(), v2 = v.clone();
                    for (int t = 1; t <= 50; t++) {
                        AdamCoefficients c = AdamCoefficients.of(0.01f, 0.05, 0.9, 0.999, 1e-8, t, decoupled);
                        scalar.adam(p, g, m, v, from, to, c);
                        vector.adam(p2, g, m2, v2, from, to, c);
                    }
                    assertArrayEquals(p, p2, "adam p, len " + len);
                    assertArrayEquals(m, m2, "adam m, len " + len);
                    assertArrayEquals(v, v2, "adam v, len " + len);
                }
            }
            for (int warm = 0; warm < 20_000 && round == 0; warm++) {
                float[] a = new float[37], b = new float[37], c = new float[37], d = new float[37];
                vector.momentum(a, b, c, 0, 37, 0.1f, 0.1f, 0.9f, warm % 2 == 0);
                vector.adam(a, b, c, d, 0, 37, AdamCoefficients.of(0.1f, warm % 2, 0.9, 0.99, 1e-8, 1 + warm % 5, warm % 3 == 0));
            }
        }
    }

    @Test
    void scalarFollowsTheRulesInDouble() {
        SplittableRandom rng = new SplittableRandom(9);
        int len = 13;
        float lr = 0.03f, wd = 0.02f, mu = 0.8f;
        for (boolean nesterov : new boolean[] {false, true}) {
            float[] p = rand(len, rng), buf = new float[len];
            double[] pd = new double[len], bd = new double[len];
            for (int i = 0; i < len; i++) pd[i] = p[i];
            for (int t = 0; t < 5; t++) {
                float[] g = rand(len, rng);
                ScalarOptimKernels.INSTANCE.momentum(p, g, buf, 0, len, lr, wd, mu, nesterov);
                for (int i = 0; i < len; i++) {
                    double d = g[i] + (double) wd * pd[i];
                    bd[i] = t == 0 ? d : mu * bd[i] + d;
                    pd[i] -= lr * (nesterov ? d + mu * bd[i] : bd[i]);
                }
            }
            for (int i = 0; i < len; i++) assertEquals(pd[i], p[i], 1e-5 * Math.max(1, Math.abs(pd[i])), "momentum " + nesterov + " " + i);
        }
        for (boolean decoupled : new boolean[] {false, true}) {
            float[] p = rand(len, rng), m = new float[len], v = new float[len];
            double[] pd = new double[len], md = new double[len], vd = new double[len];
            for (int i = 0; i < len; i++) pd[i] = p[i];
            double b1 = 0.9, b2 = 0.99, eps = 1e-8;
            for (int t = 1; t <= 5; t++) {
                float[] g = rand(len, rng);
                ScalarOptimKernels.INSTANCE.adam(p, g, m, v, 0, len, AdamCoefficients.of(lr, wd, b1, b2, eps, t, decoupled));
                for (int i = 0; i < len; i++) {
                    double d = decoupled ? g[i] : g[i] + wd * pd[i];
                    if (decoupled) pd[i] *= 1 - lr * (double) wd;
                    md[i] = b1 * md[i] + (1 - b1) * d;
                    vd[i] = b2 * vd[i] + (1 - b2) * d * d;
                    double mHat = md[i] / (1 - Math.pow(b1, t)), vHat = vd[i] / (1 - Math.pow(b2, t));
                    pd[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
                }
            }
            for (int i = 0; i < len; i++) assertEquals(pd[i], p[i], 1e-5 * Math.max(1, Math.abs(pd[i])), "adam " + decoupled + " " + i);
        }
    }
}
