package bitsgd.harness.validate;

import bitsgd.kernel.bits.BitBatch;
import bitsgd.kernel.mlp.Activation;
import bitsgd.kernel.mlp.Loss;
import bitsgd.kernel.mlp.Mlp2;
import bitsgd.kernel.mlp.MlpKernels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * Randomised agreement checks: each fast kernel against the scalar reference, and the scalar
 * reference against a double-precision brute force, over awkward sizes.
 *
 * <p>Tolerance: a float sum of m terms of size ≤ s is off by at most ≈ m·ε·s from the exact sum, and
 * the implementations sum in different orders, so |fast − reference| ≤ 8·ε·(n + B + h)·(1 + |reference|)
 * with ε = 2⁻²³; a real defect (a wrong sign, a lost tail element, a stale parameter) is off by
 * O(|value|), orders of magnitude more.
 *
 * <p>Ties: W and b are put on a 2⁻¹⁰ grid before every compared step, so every pre-activation
 * z = b + Σ ±W is an exact float sum in any order; all implementations then take the same ReLU branch
 * and a sum order can never flip [z > 0] (which would be an O(1) difference that is no defect).
 */
public final class Validation {
    static final double EPS = Math.ulp(1f);

    /** Sizes that hit every tail: 1, lane±1 for 128/256/512-bit float lanes, word edges, primes. */
    static final int[] N = {1, 2, 7, 31, 63, 64, 65, 97, 130};
    static final int[] H = {1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 33, 100, 257};
    static final int[] B = {1, 3, 31, 32, 33, 65};

    private Validation() {}

    /** One table row. */
    public record Row(String check, int cases, double maxAbsError, double maxRelError, double worstRatioToTolerance) {
        public boolean pass() {
            return worstRatioToTolerance <= 1.0;
        }

        public Map<String, Object> toMap() {
            var m = new LinkedHashMap<String, Object>();
            m.put("check", check);
            m.put("cases", cases);
            m.put("max_abs_error", maxAbsError);
            m.put("max_rel_error", maxRelError);
            m.put("worst_error_over_tolerance", worstRatioToTolerance);
            m.put("pass", pass());
            return m;
        }
    }

    /** Accumulates errors of one check. */
    private static final class Errors {
        final String check;
        int cases;
        double abs, rel, ratio;

        Errors(String check) {
            this.check = check;
        }

        void compare(double got, double want, double tolerance) {
            double d = Math.abs(got - want);
            if (Double.isNaN(d)) d = Double.POSITIVE_INFINITY;
            abs = Math.max(abs, d);
            if (Math.abs(want) >= 1e-3) rel = Math.max(rel, d / Math.abs(want)); // relative error of near-zeros says nothing
            ratio = Math.max(ratio, d / (tolerance * (1 + Math.abs(want))));
        }

        Row row() {
            return new Row(check, cases, abs, rel, ratio);
        }
    }

    /**
     * Runs {@code cases} random cases per check: {@code fast} vs {@code reference} for the forward pass
     * and for three consecutive steps of each loss, and {@code reference} vs double precision.
     */
    public static List<Row> mlp(MlpKernels reference, MlpKernels fast, int cases, long seed) {
        RandomGenerator rng = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
        String vs = fast.name() + " vs " + reference.name();
        Errors fwd = new Errors("mlp.forward " + vs);
        Map<Loss, Errors> step = new LinkedHashMap<>();
        for (Loss l : Loss.values()) step.put(l, new Errors("mlp.step " + l.name().toLowerCase() + " " + vs));
        Errors exact = new Errors("mlp.step " + reference.name() + " vs double brute force");
        for (int c = 0; c < cases; c++) {
            int n = N[rng.nextInt(N.length)], h = H[rng.nextInt(H.length)], batch = B[rng.nextInt(B.length)];
            double tol = 8 * EPS * (n + batch + h);
            Mlp2 net = new Mlp2(n, h).initUniform(rng); // PyTorch scale: pre-activations straddle 0, every ReLU branch is taken
            onGrid(net);
            BitBatch x = new BitBatch(n, batch);
            float[] y = new float[batch];
            x.fillUniform(rng);
            for (int s = 0; s < batch; s++) y[s] = rng.nextBoolean() ? 1f : -1f;

            MlpKernels.Workspace wr = reference.workspace(n, h, batch), wf = fast.workspace(n, h, batch);
            float[] fr = new float[batch], ff = new float[batch];
            reference.forward(net, x, fr, wr);
            fast.forward(net, x, ff, wf);
            for (int s = 0; s < batch; s++) fwd.compare(ff[s], fr[s], tol);
            fwd.cases++;

            Loss loss = Loss.values()[c % Loss.values().length];
            float lr = (float) (0.01 + 0.5 * rng.nextDouble()), wd = rng.nextBoolean() ? 0f : 0.01f;
            float lr2 = (c >> 2 & 1) == 0 ? lr : 0.5f * lr; // every other round of losses: per-layer rates η₂ = η₁/2
            Mlp2 a = net.copy(), b = net.copy();
            Errors e = step.get(loss);
            for (int t = 0; t < 3; t++) { // three calls on the same workspaces: no state may leak between steps
                float lossRef = reference.step(a, x, y, loss, lr, lr2, wd, wr);
                float lossFast = fast.step(b, x, y, loss, lr, lr2, wd, wf);
                e.compare(lossFast, lossRef, tol);
                compareParams(e, b, a, tol);
                onGrid(a);
                copyInto(a, b);
                x.fillUniform(rng);
            }
            e.cases++;

            if (n * h * batch <= 200_000) {
                double[] lossOut = new double[1];
                DoubleMlpStep.Params d = DoubleMlpStep.step(DoubleMlpStep.Params.of(net), x, y, loss, lr, lr2, wd, lossOut);
                Mlp2 r = net.copy();
                float lossRef = reference.step(r, x, y, loss, lr, lr2, wd, wr);
                exact.compare(lossRef, lossOut[0], tol);
                for (int k = 0; k < r.w.length; k++) exact.compare(r.w[k], d.w()[k], tol);
                for (int j = 0; j < h; j++) {
                    exact.compare(r.b[j], d.b()[j], tol);
                    exact.compare(r.a[j], d.a()[j], tol);
                }
                exact.compare(r.c, d.c(), tol);
                exact.cases++;
            }
        }
        List<Row> rows = new ArrayList<>();
        rows.add(fwd.row());
        for (Errors e : step.values()) rows.add(e.row());
        rows.add(exact.row());
        return rows;
    }

    /**
     * The twin against the vector kernels it mirrors: the same bits, not a tolerance. Random nets (ReLU and z^3), batches
     * and losses over the awkward sizes; forward outputs, losses and every parameter after three steps. The row's
     * error/tolerance is 0 when every bit agrees and infinite otherwise.
     */
    public static Row mlpExact(MlpKernels twin, MlpKernels vector, int cases, long seed) {
        RandomGenerator rng = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
        double worst = 0;
        long differing = 0;
        for (int c = 0; c < cases; c++) {
            int n = N[rng.nextInt(N.length)], h = H[rng.nextInt(H.length)], batch = B[rng.nextInt(B.length)];
            Mlp2 net = new Mlp2(n, h, c % 4 == 3 ? Activation.pow(3) : Activation.RELU)
                    .initUniform(rng);
            Mlp2 a = net.copy(), b = net.copy();
            MlpKernels.Workspace wt = twin.workspace(n, h, batch), wv = vector.workspace(n, h, batch);
            BitBatch x = new BitBatch(n, batch);
            float[] y = new float[batch], ft = new float[batch], fv = new float[batch];
            Loss loss = Loss.values()[c % Loss.values().length];
            float lr = (float) (0.001 + 0.05 * rng.nextDouble()), lr2 = (c & 1) == 0 ? lr : 0.5f * lr, wd = rng.nextBoolean() ? 0f : 0.01f;
            for (int t = 0; t < 3; t++) {
                x.fillUniform(rng);
                for (int s = 0; s < batch; s++) y[s] = rng.nextBoolean() ? 1f : -1f;
                twin.forward(a, x, ft, wt);
                vector.forward(b, x, fv, wv);
                for (int s = 0; s < batch; s++) {
                    if (Float.floatToIntBits(ft[s]) != Float.floatToIntBits(fv[s])) {
                        differing++;
                        worst = Math.max(worst, Math.abs((double) ft[s] - fv[s]));
                    }
                }
                float lt = twin.step(a, x, y, loss, lr, lr2, wd, wt), lv = vector.step(b, x, y, loss, lr, lr2, wd, wv);
                if (Float.floatToIntBits(lt) != Float.floatToIntBits(lv)) differing++;
                if (!a.bitEquals(b)) {
                    differing++;
                    worst = Math.max(worst, a.maxAbsDiff(b));
                }
            }
        }
        // relative error is not the measure here: any differing bit fails
        return new Row("mlp.twin " + twin.name() + " vs " + vector.name() + " (bit-exact)", cases, worst, 0,
                differing == 0 ? 0 : Double.POSITIVE_INFINITY);
    }

    private static void compareParams(Errors e, Mlp2 got, Mlp2 want, double tol) {
        for (int k = 0; k < want.w.length; k++) e.compare(got.w[k], want.w[k], tol);
        for (int j = 0; j < want.h; j++) {
            e.compare(got.b[j], want.b[j], tol);
            e.compare(got.a[j], want.a[j], tol);
        }
        e.compare(got.c, want.c, tol);
    }

    /** Rounds W and b to multiples of 2⁻¹⁰ (|values| < 1, n ≤ 130: every z is an exact float sum). */
    private static void onGrid(Mlp2 m) {
        for (int k = 0; k < m.w.length; k++) m.w[k] = Math.round(m.w[k] * 1024f) / 1024f;
        for (int j = 0; j < m.h; j++) m.b[j] = Math.round(m.b[j] * 1024f) / 1024f;
    }

    private static void copyInto(Mlp2 from, Mlp2 to) {
        System.arraycopy(from.w, 0, to.w, 0, from.w.length);
        System.arraycopy(from.b, 0, to.b, 0, from.h);
        System.arraycopy(from.a, 0, to.a, 0, from.h);
        to.c = from.c;
    }
}
