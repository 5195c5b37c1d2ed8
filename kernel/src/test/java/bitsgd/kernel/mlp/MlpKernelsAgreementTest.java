package bitsgd.kernel.mlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import bitsgd.kernel.Kernels;
import bitsgd.kernel.bits.BitBatch;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The vector kernels against the scalar reference, on random nets and batches over awkward sizes.
 *
 * <p>Tolerance: the two sum the same terms in different orders (table entries, FMA in the update), so a
 * value built from m float additions may differ by a few ulps per addition. We allow
 * {@code TOL · (n + h + B) · max(1, |value|)} with TOL = 1e-6 for every parameter after each step,
 * every returned loss and every forward output (n terms in z, h in f, B in the gradients).
 */
class MlpKernelsAgreementTest {
    static final float TOL = 1e-6f;
    static final float LR = 0.01f, WD = 0.01f;   // small enough that SQUARE at h=1000 does not diverge (a diverging run amplifies rounding)
    static final int STEPS = 4;

    static MlpKernels scalar, vector;
    static double worstRatio;   // largest |diff| / allowed seen, for the report
    static float worstAbs;

    @BeforeAll
    static void setUp() {
        assumeTrue(Kernels.vectorAvailable(), "vector kernels unavailable: " + Kernels.vectorUnavailableReason());
        scalar = Kernels.scalarMlp();
        vector = Kernels.vectorMlp();
        // warm-up: thousands of calls on small awkward shapes so C2 compiles the vector bodies
        // (incl. their tails) before the comparisons below test them (the INVOC_COUNT lesson)
        int lanes = vectorLanes();
        int[][] shapes = {{7, 9, 3}, {65, lanes + 1, 33}, {20, 2 * lanes + 3, 32}};
        for (int[] sh : shapes) {
            Case c = new Case(sh[0], sh[1], sh[2], 99);
            Mlp2 net = c.net.copy();
            MlpKernels.Workspace ws = vector.workspace(sh[0], sh[1], sh[2]);
            float[] f = new float[sh[2]];
            for (int t = 0; t < 4000; t++) {
                vector.step(net, c.x, c.y, Loss.values()[t % 3], 0.01f, 0.01f, WD, ws);
                vector.forward(net, c.x, f, ws);
            }
            Case p = new Case(sh[0], sh[1], sh[2], 98, Activation.pow(3));
            Mlp2 pnet = p.net.copy();
            for (int t = 0; t < 4000; t++) {
                // z^3 with the rates of the step, then back to the start: the run never drifts to huge z
                vector.step(pnet, p.x, p.y, Loss.values()[t % 3], 0.01f, 0.005f, WD, ws);
                vector.forward(pnet, p.x, f, ws);
                if (t % 8 == 7) pnet = p.net.copy();
            }
        }
    }

    static int vectorLanes() {
        return Integer.parseInt(vector.name().substring("vector-".length())) / 32;
    }

    /** A random net (PyTorch-style uniform init) with a random batch and ±1 targets. */
    static final class Case {
        final Mlp2 net;
        final BitBatch x;
        final float[] y;

        Case(int n, int h, int batch, long seed) {
            this(n, h, batch, seed, Activation.RELU);
        }

        Case(int n, int h, int batch, long seed, Activation act) {
            SplittableRandom rng = new SplittableRandom(seed);
            net = new Mlp2(n, h, act).initUniform(rng);
            x = new BitBatch(n, batch);
            x.fillUniform(rng);
            y = new float[batch];
            for (int b = 0; b < batch; b++) y[b] = rng.nextBoolean() ? 1f : -1f;
        }
    }

    static void close(float expect, float actual, float allowed, String what) {
        float d = Math.abs(expect - actual);
        float lim = allowed * Math.max(1f, Math.abs(expect));
        if (d > worstAbs) worstAbs = d;
        if (lim > 0) worstRatio = Math.max(worstRatio, d / lim);
        assertTrue(d <= lim, what + ": scalar " + expect + " vector " + actual + " |diff| " + d + " > " + lim);
    }

    static void compareNets(Mlp2 s, Mlp2 v, float allowed, String what) {
        for (int k = 0; k < s.w.length; k++) close(s.w[k], v.w[k], allowed, what + " w[" + k + "]");
        for (int j = 0; j < s.h; j++) {
            close(s.b[j], v.b[j], allowed, what + " b[" + j + "]");
            close(s.a[j], v.a[j], allowed, what + " a[" + j + "]");
        }
        close(s.c, v.c, allowed, what + " c");
    }

    static void agree(int n, int h, int batch, long seed) {
        agree(n, h, batch, seed, Activation.RELU, LR, LR);
    }

    /** As above with activation {@code act}, first-layer rate {@code lr1} and second-layer rate {@code lr2}. */
    static void agree(int n, int h, int batch, long seed, Activation act, float lr1, float lr2) {
        Case c = new Case(n, h, batch, seed, act);
        // z^k multiplies k rounded factors per h and k per δ: the per-term error grows with k
        float allowed = TOL * Math.max(1, act.degree()) * (n + h + batch);
        for (Loss loss : Loss.values()) {
            String what = "n=" + n + " h=" + h + " B=" + batch + " " + act + " lr=" + lr1 + "/" + lr2 + " " + loss;
            Mlp2 s = c.net.copy(), v = c.net.copy();
            MlpKernels.Workspace ws = scalar.workspace(n, h, batch), wv = vector.workspace(n, h, batch);
            float[] fs = new float[batch], fv = new float[batch];
            for (int t = 0; t < STEPS; t++) {
                scalar.forward(s, c.x, fs, ws);
                vector.forward(v, c.x, fv, wv);
                for (int b = 0; b < batch; b++) close(fs[b], fv[b], allowed, what + " step " + t + " f[" + b + "]");
                float ls = scalar.step(s, c.x, c.y, loss, lr1, lr2, WD, ws);
                float lv = vector.step(v, c.x, c.y, loss, lr1, lr2, WD, wv);
                close(ls, lv, allowed, what + " step " + t + " loss");
                compareNets(s, v, allowed, what + " after step " + t);
            }
        }
    }

    @Test
    void vectorMatchesScalarOverAwkwardSizes() {
        int lanes = vectorLanes();
        // 3·lanes+1: pairs of column blocks, then one single block, then the zero-padded tail block
        TreeSet<Integer> hs = new TreeSet<>(java.util.List.of(1, 7, 8, 9, 100, 1000, lanes - 1, lanes, lanes + 1, 3 * lanes + 1));
        int[] ns = {1, 7, 63, 64, 65, 130};
        int[] bs = {1, 3, 32, 33};
        long seed = 1;
        for (int n : ns) for (int h : hs) for (int batch : bs) agree(n, h, batch, seed++);
        System.out.printf("MlpKernelsAgreementTest: largest |scalar - vector| = %.3g, largest diff/allowed = %.3f (TOL=%g)%n",
                worstAbs, worstRatio, TOL);
    }

    /**
     * σ(z) = z^k (k = 1..4) and per-layer rates (η₂ = η₁/2, also for ReLU) over n, h ∈ {1, lanes−1, lanes, lanes+1,
     * 63, 64, 65, primes 13 and 31}: z^k runs single column blocks plus the zero-padded tail block. η₁ = LR/5: z⁴ with the
     * square loss at B = 1 diverges within 4 steps at LR, and a diverging run only compares infinities.
     */
    @Test
    void powAndPerLayerRatesMatchScalarOverAwkwardSizes() {
        worstAbs = 0;
        worstRatio = 0;
        int lanes = vectorLanes();
        TreeSet<Integer> sizes = new TreeSet<>(java.util.List.of(1, 13, 31, 63, 64, 65, lanes - 1, lanes, lanes + 1));
        int[] bs = {1, 5, 33};
        Activation[] acts = {Activation.pow(1), Activation.pow(2), Activation.pow(3), Activation.pow(4), Activation.RELU};
        long seed = 1000;
        int c = 0;
        for (int n : sizes) {
            for (int h : sizes) {
                for (int batch : bs) {
                    Activation act = acts[c++ % acts.length];
                    agree(n, h, batch, seed++, act, LR / 5, LR / 10);
                }
            }
        }
        for (Activation act : acts) agree(20, 3 * lanes + 1, 32, seed++, act, LR / 5, LR / 5); // equal rates too
        System.out.printf("MlpKernelsAgreementTest (pow): largest |scalar - vector| = %.3g, largest diff/allowed = %.3f%n",
                worstAbs, worstRatio);
    }

    @Test
    void batchSmallerThanWorkspace() {
        // a workspace for 40 samples used with 33 and then 5: the padding rows must not leak in
        Case c = new Case(13, 2 * vectorLanes() + 1, 40, 7);
        Mlp2 s = c.net.copy(), v = c.net.copy();
        MlpKernels.Workspace ws = scalar.workspace(13, s.h, 40), wv = vector.workspace(13, s.h, 40);
        for (int size : new int[] {40, 33, 5, 40}) {
            c.x.setSize(size);
            float ls = scalar.step(s, c.x, c.y, Loss.HINGE, LR, LR, WD, ws);
            float lv = vector.step(v, c.x, c.y, Loss.HINGE, LR, LR, WD, wv);
            close(ls, lv, TOL * 100, "loss size " + size);
            compareNets(s, v, TOL * 100, "size " + size);
        }
    }

    /**
     * Worked by hand: n=2, h=1, B=1, W = (0.5, −0.25), b = 0.125, a = 2, c = 0.5, x = (+1, −1), y = −1, hinge,
     * η = 0.5, λ = 0.5. All numbers are dyadic, so every implementation must get them exactly.
     * <pre>
     *   z = 0.125 + 0.5·(+1) + (−0.25)·(−1) = 0.875 > 0      f = 0.5 + 2·0.875 = 2.25
     *   loss = max(0, 1 − (−1)(2.25)) = 3.25                 g = ∂ℓ/∂f = −y = 1 (y·f ≤ 1), /B = 1
     *   δ = g·a·[z>0] = 2      ∂W = (x_0 δ, x_1 δ) = (2, −2)   ∂b = 2   ∂a = g·z = 0.875   ∂c = 1
     *   W_0 = 0.5 − 0.5(2 + 0.5·0.5)        = −0.625
     *   W_1 = −0.25 − 0.5(−2 + 0.5·(−0.25)) = 0.8125
     *   b   = 0.125 − 0.5(2 + 0.5·0.125)    = −0.90625
     *   a   = 2 − 0.5(0.875 + 0.5·2)        = 1.0625
     *   c   = 0.5 − 0.5(1 + 0.5·0.5)        = −0.125
     * </pre>
     * The same with h = LANES identical hidden units and a_j = 2/LANES (f stays 2.25, δ_j = 2/LANES) runs one
     * full vector block instead of the zero-padded tail block.
     */
    @Test
    void handComputedCase() {
        for (MlpKernels k : new MlpKernels[] {scalar, vector}) {
            for (int h : new int[] {1, vectorLanes()}) {
                Mlp2 net = new Mlp2(2, h);
                float aj = 2f / h;
                for (int j = 0; j < h; j++) {
                    net.w[j] = 0.5f;
                    net.w[h + j] = -0.25f;
                    net.b[j] = 0.125f;
                    net.a[j] = aj;
                }
                net.c = 0.5f;
                BitBatch x = new BitBatch(2, 1);
                x.set(0, new float[] {1f, -1f});
                float[] f = new float[1];
                MlpKernels.Workspace ws = k.workspace(2, h, 1);
                k.forward(net, x, f, ws);
                assertEquals(2.25f, f[0], k.name() + " h=" + h + " f");
                float loss = k.step(net, x, new float[] {-1f}, Loss.HINGE, 0.5f, 0.5f, 0.5f, ws);
                assertEquals(3.25f, loss, k.name() + " h=" + h + " loss");
                float d = aj;   // δ_j = g·a_j = 2/h, ∂a_j = g·z = 0.875
                for (int j = 0; j < h; j++) {
                    assertEquals(0.5f - 0.5f * (d + 0.25f), net.w[j], k.name() + " W_0," + j);
                    assertEquals(-0.25f - 0.5f * (-d - 0.125f), net.w[h + j], k.name() + " W_1," + j);
                    assertEquals(0.125f - 0.5f * (d + 0.0625f), net.b[j], k.name() + " b_" + j);
                    assertEquals(aj - 0.5f * (0.875f + 0.5f * aj), net.a[j], k.name() + " a_" + j);
                }
                assertEquals(-0.125f, net.c, k.name() + " c");
                if (h == 1) {
                    assertEquals(-0.625f, net.w[0]);
                    assertEquals(0.8125f, net.w[1]);
                    assertEquals(-0.90625f, net.b[0]);
                    assertEquals(1.0625f, net.a[0]);
                }
            }
        }
    }

    /**
     * σ(z) = z³ by hand, with per-layer rates: n=2, h=1, B=1, W = (0.5, −0.25), b = −0.25, a = 2, c = 0.5,
     * x = (+1, −1), y = −1, hinge, η₁ = 0.5 (W, b), η₂ = 0.25 (a, c), λ = 0.5. All dyadic, so exact everywhere.
     * <pre>
     *   z = −0.25 + 0.5 + 0.25 = 0.5      h = z³ = 0.125      f = 0.5 + 2·0.125 = 0.75
     *   loss = max(0, 1 + 0.75) = 1.75     g = −y = 1
     *   δ = g·a·3z² = 1.5    ∂W = (1.5, −1.5)    ∂b = 1.5    ∂a = g·h = 0.125    ∂c = 1
     *   W_0 = 0.5 − 0.5(1.5 + 0.25)      = −0.375
     *   W_1 = −0.25 − 0.5(−1.5 − 0.125)  = 0.5625
     *   b   = −0.25 − 0.5(1.5 − 0.125)   = −0.9375
     *   a   = 2 − 0.25(0.125 + 1)        = 1.71875
     *   c   = 0.5 − 0.25(1 + 0.25)       = 0.1875
     * </pre>
     * And with h = LANES identical units, a_j = 2/LANES (one full vector block instead of the padded tail block).
     */
    @Test
    void handComputedPowCase() {
        for (MlpKernels k : new MlpKernels[] {scalar, vector}) {
            for (int h : new int[] {1, vectorLanes()}) {
                Mlp2 net = new Mlp2(2, h, Activation.pow(3));
                float aj = 2f / h;
                for (int j = 0; j < h; j++) {
                    net.w[j] = 0.5f;
                    net.w[h + j] = -0.25f;
                    net.b[j] = -0.25f;
                    net.a[j] = aj;
                }
                net.c = 0.5f;
                BitBatch x = new BitBatch(2, 1);
                x.set(0, new float[] {1f, -1f});
                float[] f = new float[1];
                MlpKernels.Workspace ws = k.workspace(2, h, 1);
                k.forward(net, x, f, ws);
                assertEquals(0.75f, f[0], k.name() + " h=" + h + " f");
                float loss = k.step(net, x, new float[] {-1f}, Loss.HINGE, 0.5f, 0.25f, 0.5f, ws);
                assertEquals(1.75f, loss, k.name() + " h=" + h + " loss");
                float d = aj * 0.75f;   // δ_j = g·a_j·3z² = 0.75·a_j
                for (int j = 0; j < h; j++) {
                    assertEquals(0.5f - 0.5f * (d + 0.25f), net.w[j], k.name() + " W_0," + j);
                    assertEquals(-0.25f - 0.5f * (-d - 0.125f), net.w[h + j], k.name() + " W_1," + j);
                    assertEquals(-0.25f - 0.5f * (d - 0.125f), net.b[j], k.name() + " b_" + j);
                    assertEquals(aj - 0.25f * (0.125f + 0.5f * aj), net.a[j], k.name() + " a_" + j);
                }
                assertEquals(0.1875f, net.c, k.name() + " c");
                if (h == 1) {
                    assertEquals(-0.375f, net.w[0]);
                    assertEquals(0.5625f, net.w[1]);
                    assertEquals(-0.9375f, net.b[0]);
                    assertEquals(1.71875f, net.a[0]);
                }
            }
        }
    }
}
