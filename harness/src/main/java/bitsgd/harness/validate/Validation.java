package bitsgd.harness.validate;

import bitsgd.kernel.Kernels;
import bitsgd.kernel.bits.BitBatch;
import bitsgd.kernel.dense.DenseKernels;
import bitsgd.kernel.mlp.Activation;
import bitsgd.kernel.mlp.Loss;
import bitsgd.kernel.mlp.Mlp2;
import bitsgd.kernel.mlp.MlpKernels;
import bitsgd.kernel.popgrad.PopGrad;
import bitsgd.kernel.popgrad.PopGradKernels;
import bitsgd.kernel.popgrad.PopGrads;
import bitsgd.kernel.popgrad.PopTarget;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * Randomised agreement checks, one set per kernel family (mlp, dense, popgrad): each vector implementation against
 * its scalar reference, and each scalar reference against a double-precision brute force, over awkward sizes.
 *
 * <p>Tolerance: a float sum of m terms is off from the exact sum by at most m·u·Σ|terms| (u = 2⁻²⁴ = ε/2), and
 * the implementations may sum in different orders, so a float row allows |fast − reference| ≤ c·ε·m·scale with
 * the row's chain length m and a scale that bounds Σ|terms|; a real defect (a wrong sign, a lost tail element, a
 * stale parameter, a rate off by 5%) is off by O(|value|), orders of magnitude more. Where the float order is
 * the contract (the dense forward and update, the MLP twin) the row is exact: any differing bit fails it.
 *
 * <p>Ties: parameters are put on a coarse binary grid before every compared step, so every pre-activation is an
 * exact float sum in any order; all implementations then take the same ReLU branch and a sum order can never flip
 * [z > 0] (which would be an O(1) difference that is no defect).
 */
public final class Validation {
    static final double EPS = Math.ulp(1f);

    /** Sizes that hit every tail: 1, lane±1 for 128/256/512-bit float lanes, word edges, primes. */
    static final int[] N = {1, 2, 7, 31, 63, 64, 65, 97, 130};
    static final int[] H = {1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 33, 100, 257};
    static final int[] B = {1, 3, 31, 32, 33, 65};

    /** Dense columns around 4/8/16 lanes, the 2-vector blocks (8/16/32) and the half-width tail (4/8 floats). */
    static final int[] DENSE_OUTS = {1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 23, 24, 25, 31, 32, 33, 40, 47, 48, 49, 63, 64, 65, 100};
    /** Dense rows and samples around the blocks of four, and longer ones. */
    static final int[] DENSE_INS = {1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 33, 65, 100};
    static final int[] DENSE_BATCH = {1, 2, 3, 4, 5, 7, 8, 9, 31, 33};

    /** Population-gradient sizes: n from one block to several (low block L is 6..10 at these widths), h around lanes. */
    static final int[] POP_N = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    static final int[] POP_H = {1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 129};
    /** Cap on 2^n·n·h, the double brute force's work per case (~5 ms). */
    static final long POP_WORK = 3_000_000;

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

        /** |got − want| ≤ tolerance · (1 + |want|). */
        void compare(double got, double want, double tolerance) {
            compare(got, want, tolerance, 1 + Math.abs(want));
        }

        /** |got − want| ≤ tolerance · scale, scale a bound on the sum of |terms| that made {@code want}. */
        void compare(double got, double want, double tolerance, double scale) {
            double d = Math.abs(got - want);
            if (Double.isNaN(d)) d = Double.POSITIVE_INFINITY;
            note(d, want);
            if (d > 0) ratio = Math.max(ratio, d / (tolerance * scale)); // d > 0: a zero scale then means "must be exact"
        }

        /** The same bits, or the row fails. */
        void exact(float got, float want) {
            if (Float.floatToIntBits(got) == Float.floatToIntBits(want)) return;
            double d = Math.abs((double) got - want);
            note(Double.isNaN(d) ? Double.POSITIVE_INFINITY : d, want);
            ratio = Double.POSITIVE_INFINITY;
        }

        void exact(float[] got, float[] want) {
            for (int k = 0; k < want.length; k++) exact(got[k], want[k]);
        }

        private void note(double d, double want) {
            abs = Math.max(abs, d);
            if (Math.abs(want) >= 1e-3) rel = Math.max(rel, d / Math.abs(want)); // relative error of near-zeros says nothing
        }

        Row row() {
            return new Row(check, cases, abs, rel, ratio);
        }
    }

    // ================================================================ all families

    /**
     * The implementations validate compares: each family's scalar reference and its vector code, the latter null
     * where the vector kernels cannot run.
     */
    public record Implementations(MlpKernels mlp, MlpKernels vectorMlp, MlpKernels twinMlp, DenseKernels dense,
                                  DenseKernels vectorDense, PopGradKernels popgrad, PopGradKernels vectorPopgrad) {
        /** What this JVM runs: the providers' references and, when {@link Kernels#vectorAvailable()}, their vector code. */
        public static Implementations shipped() {
            boolean v = Kernels.vectorAvailable();
            return new Implementations(Kernels.scalarMlp(), v ? Kernels.vectorMlp() : null, v ? Kernels.twinMlp() : null,
                    Kernels.scalarDense(), v ? Kernels.vectorDense() : null, PopGrads.scalar(), v ? PopGrads.vector() : null);
        }
    }

    /**
     * Calls the vector kernels of {@code k} until C2 has compiled them ({@link WarmUp}), so that the rows that follow
     * compare the compiled code runs execute rather than the Vector API's Java fallback; returns one line for the report
     * and its map for validate.json.
     */
    public static WarmUpReport warmUp(Implementations k) {
        WarmUp.Result r = WarmUp.run(k.vectorMlp(), k.vectorDense(), k.vectorPopgrad(), Kernels.vectorAvailable() ? Kernels.vectorBits() / 32 : 4);
        return new WarmUpReport(r.line(), r.toMap());
    }

    /** What the warm-up reports: a line for the table's header and the same for validate.json. */
    public record WarmUpReport(String line, Map<String, Object> json) {}

    /**
     * Every family's rows in table order: where a vector implementation is null, only the row of its scalar reference
     * against double precision (there is nothing to compare it with).
     */
    public static List<Row> all(Implementations k, int cases, long seed) {
        List<Row> rows = new ArrayList<>(mlp(k.mlp(), k.vectorMlp(), cases, seed));
        // the twin that starts every run must give the vector kernels' bits: an exact check, no tolerance
        if (k.twinMlp() != null && k.vectorMlp() != null) rows.add(mlpExact(k.twinMlp(), k.vectorMlp(), cases, seed));
        rows.addAll(dense(k.dense(), k.vectorDense(), cases, seed));
        rows.addAll(popgrad(k.popgrad(), k.vectorPopgrad(), cases, seed));
        return rows;
    }

    // ================================================================ mlp

    /**
     * {@code fast} vs {@code reference} on {@code cases} random cases per check: the forward pass, three consecutive
     * steps of each loss (ReLU), and forward plus three steps of z^3 nets; then {@code reference} vs
     * {@link DoubleMlpStep} (ReLU, every loss) on the cases small enough for the brute force. With {@code fast} null,
     * only that last row.
     */
    public static List<Row> mlp(MlpKernels reference, MlpKernels fast, int cases, long seed) {
        RandomGenerator rng = rng(seed);
        String vs = (fast == null ? "" : fast.name()) + " vs " + reference.name();
        Errors fwd = new Errors("mlp.forward " + vs);
        Map<Loss, Errors> step = new LinkedHashMap<>();
        for (Loss l : Loss.values()) step.put(l, new Errors("mlp.step " + l.name().toLowerCase() + " " + vs));
        Errors pow = new Errors("mlp.forward+step pow3 " + vs);
        Errors exact = new Errors("mlp.step " + reference.name() + " vs double brute force");
        for (int c = 0; c < cases; c++) {
            int n = N[rng.nextInt(N.length)], h = H[rng.nextInt(H.length)], batch = B[rng.nextInt(B.length)];
            double tol = 8 * EPS * (n + batch + h);
            Mlp2 net = new Mlp2(n, h).initUniform(rng); // PyTorch scale: pre-activations straddle 0, every ReLU branch is taken
            onGrid(net);
            BitBatch x = new BitBatch(n, batch);
            float[] y = labels(x, rng);
            Loss loss = Loss.values()[c % Loss.values().length];
            float lr = (float) (0.01 + 0.5 * rng.nextDouble()), wd = rng.nextBoolean() ? 0f : 0.01f;
            float lr2 = (c >> 2 & 1) == 0 ? lr : 0.5f * lr; // every other round of losses: per-layer rates η₂ = η₁/2
            MlpKernels.Workspace wr = reference.workspace(n, h, batch);

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
            if (fast == null) continue;

            MlpKernels.Workspace wf = fast.workspace(n, h, batch);
            compareForward(fwd, reference, fast, net, x, wr, wf, tol);
            fwd.cases++;
            compareSteps(step.get(loss), reference, fast, net, x, y, loss, lr, lr2, wd, wr, wf, tol, rng);
            step.get(loss).cases++;

            // z^3 (its own pass methods): smaller rates, as its gradients grow like z²
            Mlp2 cube = new Mlp2(n, h, Activation.pow(3)).initUniform(rng);
            onGrid(cube);
            MlpKernels.Workspace pr = reference.workspace(n, h, batch), pf = fast.workspace(n, h, batch);
            compareForward(pow, reference, fast, cube, x, pr, pf, tol);
            float plr = (float) (0.001 + 0.05 * rng.nextDouble());
            compareSteps(pow, reference, fast, cube, x, y, loss, plr, (c & 1) == 0 ? plr : 0.5f * plr, wd, pr, pf, tol, rng);
            pow.cases++;
        }
        List<Row> rows = new ArrayList<>();
        if (fast != null) {
            rows.add(fwd.row());
            for (Errors e : step.values()) rows.add(e.row());
            rows.add(pow.row());
        }
        rows.add(exact.row());
        return rows;
    }

    private static void compareForward(Errors e, MlpKernels reference, MlpKernels fast, Mlp2 net, BitBatch x,
                                       MlpKernels.Workspace wr, MlpKernels.Workspace wf, double tol) {
        int batch = x.size();
        float[] fr = new float[batch], ff = new float[batch];
        reference.forward(net, x, fr, wr);
        fast.forward(net, x, ff, wf);
        for (int s = 0; s < batch; s++) e.compare(ff[s], fr[s], tol);
    }

    /** Three steps of both on copies of {@code net}, resynchronised after each: no state may leak between steps. */
    private static void compareSteps(Errors e, MlpKernels reference, MlpKernels fast, Mlp2 net, BitBatch x, float[] y, Loss loss,
                                     float lr, float lr2, float wd, MlpKernels.Workspace wr, MlpKernels.Workspace wf,
                                     double tol, RandomGenerator rng) {
        Mlp2 a = net.copy(), b = net.copy();
        for (int t = 0; t < 3; t++) {
            float lossRef = reference.step(a, x, y, loss, lr, lr2, wd, wr);
            float lossFast = fast.step(b, x, y, loss, lr, lr2, wd, wf);
            e.compare(lossFast, lossRef, tol);
            compareParams(e, b, a, tol);
            onGrid(a);
            copyInto(a, b);
            x.fillUniform(rng);
        }
    }

    /**
     * The twin against the vector kernels it mirrors: the same bits, not a tolerance. Random nets (ReLU and z^3), batches
     * and losses over the awkward sizes; forward outputs, losses and every parameter after three steps. The row's
     * error/tolerance is 0 when every bit agrees and infinite otherwise.
     */
    public static Row mlpExact(MlpKernels twin, MlpKernels vector, int cases, long seed) {
        RandomGenerator rng = rng(seed);
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

    private static float[] labels(BitBatch x, RandomGenerator rng) {
        x.fillUniform(rng);
        float[] y = new float[x.size()];
        for (int s = 0; s < y.length; s++) y[s] = rng.nextBoolean() ? 1f : -1f;
        return y;
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

    // ================================================================ dense

    /** Slack past every array's shape, filled with a sentinel: a write past the shape differs from the reference. */
    private static final int SLACK = 3;
    private static final float SENTINEL = 42f;

    /**
     * {@code fast} vs {@code reference}, every method of {@link DenseKernels} on the same random floats: forward and
     * update share the reference's float order (the interface's contract), so they must agree bit for bit, slack
     * included; backwardInput sums along a row of W in its own order, so |Δ| ≤ 2ε·outs·Σ_j|dOut·W| (twice the bound
     * of two length-outs sums). Then {@code reference} against the definitions in double ({@link DoubleDense}), every
     * method: each result is a float sum of m terms (m = ins + 1, outs, batch + 2), so |Δ| ≤ 2ε·m·Σ|terms| (four times
     * the bound). The fused ReLU layer (forwardRelu, backwardRelu on the transposed weights) runs on the same case,
     * with the skip on a square layer (the case's outs × outs block of W) every other case; it is bit-exact too.
     * With {@code fast} null, only that last row.
     */
    public static List<Row> dense(DenseKernels reference, DenseKernels fast, int cases, long seed) {
        RandomGenerator rng = rng(seed);
        String vs = (fast == null ? "" : fast.name()) + " vs " + reference.name();
        Errors fwd = new Errors("dense.forward " + vs + " (bit-exact)");
        Errors bwd = new Errors("dense.backwardInput " + vs);
        Errors upd = new Errors("dense.update " + vs + " (bit-exact)");
        Errors rf = new Errors("dense.relu-layer forward " + vs + " (bit-exact)");
        Errors rb = new Errors("dense.relu-layer backward " + vs + " (bit-exact)");
        Errors e = new Errors("dense " + reference.name() + " vs double brute force");
        for (int c = 0; c < cases; c++) {
            DenseCase d = DenseCase.draw(rng);
            int batch = d.batch, ins = d.ins, outs = d.outs;

            float[] or = d.output(batch * outs);
            reference.forward(d.in, batch, ins, d.w, d.bias, outs, or);
            double[][] want = DoubleDense.forward(d.in, batch, ins, d.w, d.bias, outs);
            for (int k = 0; k < batch * outs; k++) e.compare(or[k], want[0][k], 2 * EPS * (ins + 1), want[1][k]);

            float[] ir = d.output(batch * ins);
            reference.backwardInput(d.dOut, batch, outs, d.w, ins, ir);
            double[][] wantIn = DoubleDense.backwardInput(d.dOut, batch, outs, d.w, ins);
            for (int k = 0; k < batch * ins; k++) e.compare(ir[k], wantIn[0][k], 2 * EPS * outs, wantIn[1][k]);

            float[] wr = d.w.clone(), br = d.bias.clone();
            reference.update(d.in, d.dOut, batch, ins, outs, wr, br, d.lr, d.wd);
            want = DoubleDense.update(d.in, d.dOut, batch, ins, outs, d.w, d.bias, d.lr, d.wd);
            for (int k = 0; k < ins * outs; k++) e.compare(wr[k], want[0][k], 2 * EPS * (batch + 2), want[1][k]);
            for (int j = 0; j < outs; j++) e.compare(br[j], want[2][j], 2 * EPS * (batch + 2), want[3][j]);

            // the fused layer: a skip needs a square layer, so with one the layer is outs → outs on the case's dOut
            boolean skip = (c & 1) == 1;
            int rIns = skip ? outs : ins;
            float[] rIn = skip ? d.dOut : d.in, rw = skip ? square(d.w, ins, outs) : d.w;
            float[] rwt = new float[rIns * outs + SLACK];
            DenseKernels.transpose(rw, rIns, outs, rwt);
            float[] zr = d.output(batch * outs), hr = d.output(batch * outs);
            reference.forwardRelu(rIn, batch, rIns, rw, d.bias, outs, zr, hr, skip);
            want = DoubleDense.forwardRelu(rIn, batch, rIns, rw, d.bias, outs, skip);
            for (int k = 0; k < batch * outs; k++) e.compare(hr[k], want[0][k], 2 * EPS * (rIns + 2), want[1][k]);
            float[] dh = d.output(batch * outs);
            for (int k = 0; k < batch * outs; k++) dh[k] = d.dOut[(k + 1) % (batch * outs)];   // another upstream gradient
            float[] deltaR = d.output(batch * outs), dInR = d.output(batch * rIns);
            reference.backwardRelu(dh, zr, batch, outs, rwt, rIns, deltaR, dInR, skip);
            double[][] wantRelu = DoubleDense.backwardRelu(dh, zr, batch, outs, rw, rIns, skip);
            for (int k = 0; k < batch * rIns; k++) e.compare(dInR[k], wantRelu[0][k], 2 * EPS * (outs + 1), wantRelu[1][k]);
            e.cases++;
            if (fast == null) continue;

            float[] zf = d.output(batch * outs), hf = d.output(batch * outs);
            fast.forwardRelu(rIn, batch, rIns, rw, d.bias, outs, zf, hf, skip);
            rf.exact(zf, zr);
            rf.exact(hf, hr);
            rf.cases++;
            float[] deltaF = d.output(batch * outs), dInF = d.output(batch * rIns);
            fast.backwardRelu(dh, zr, batch, outs, rwt, rIns, deltaF, dInF, skip);
            rb.exact(deltaF, deltaR);
            rb.exact(dInF, dInR);
            rb.cases++;

            float[] of = d.output(batch * outs);
            fast.forward(d.in, batch, ins, d.w, d.bias, outs, of);
            fwd.exact(of, or);
            fwd.cases++;

            float[] inf = d.output(batch * ins);
            fast.backwardInput(d.dOut, batch, outs, d.w, ins, inf);
            for (int k = 0; k < batch * ins; k++) bwd.compare(inf[k], ir[k], 2 * EPS * outs, wantIn[1][k]);
            for (int k = batch * ins; k < ir.length; k++) bwd.exact(inf[k], ir[k]); // the slack: untouched
            bwd.cases++;

            float[] wf = d.w.clone(), bf = d.bias.clone();
            fast.update(d.in, d.dOut, batch, ins, outs, wf, bf, d.lr, d.wd);
            upd.exact(wf, wr);
            upd.exact(bf, br);
            upd.cases++;
        }
        return fast == null ? List.of(e.row()) : List.of(fwd.row(), bwd.row(), upd.row(), rf.row(), rb.row(), e.row());
    }

    /** An outs × outs weight matrix (with slack) from the first entries of {@code w}, wrapping around its ins × outs. */
    private static float[] square(float[] w, int ins, int outs) {
        float[] sq = new float[outs * outs + SLACK];
        for (int k = 0; k < sq.length; k++) sq[k] = w[k % (ins * outs)];
        return sq;
    }

    /** One random dense case: U(−1, 1) floats, SGD rate and decay; every array has {@link #SLACK} extra entries. */
    private record DenseCase(int batch, int ins, int outs, float[] in, float[] w, float[] bias, float[] dOut, float lr, float wd) {
        static DenseCase draw(RandomGenerator rng) {
            int batch = DENSE_BATCH[rng.nextInt(DENSE_BATCH.length)], ins = DENSE_INS[rng.nextInt(DENSE_INS.length)];
            int outs = DENSE_OUTS[rng.nextInt(DENSE_OUTS.length)];
            return new DenseCase(batch, ins, outs, uniform(batch * ins, rng), uniform(ins * outs, rng), uniform(outs, rng),
                    uniform(batch * outs, rng), (float) (0.01 + 0.5 * rng.nextDouble()), rng.nextBoolean() ? 0f : 0.01f);
        }

        /** An output array of {@code len} + slack, every entry the sentinel. */
        float[] output(int len) {
            float[] a = new float[len + SLACK];
            Arrays.fill(a, SENTINEL);
            return a;
        }

        private static float[] uniform(int len, RandomGenerator rng) {
            float[] a = new float[len + SLACK];
            for (int k = 0; k < a.length; k++) a[k] = (float) (2 * rng.nextDouble() - 1);
            return a;
        }
    }

    // ================================================================ popgrad

    /**
     * {@code fast} vs {@code reference}: every entry of the population gradient and the loss within tolerance, the
     * accuracy exactly (with parameters on the grid f is exact, so both count the same inputs); then {@code reference}
     * against the definition in double ({@link DoublePopGrad}, per input with no tables). With {@code fast} null, only
     * that last row.
     */
    public static List<Row> popgrad(PopGradKernels reference, PopGradKernels fast, int cases, long seed) {
        RandomGenerator rng = rng(seed);
        Errors vs = new Errors("popgrad " + (fast == null ? "" : fast.name()) + " vs " + reference.name());
        Errors e = new Errors("popgrad " + reference.name() + " vs double brute force");
        for (int c = 0; c < cases; c++) {
            PopCase p = PopCase.draw(c, rng);
            DoublePopGrad.Result exact = DoublePopGrad.compute(p.net, p.target, p.loss, p.flip);
            PopGrad want = reference.compute(p.net, p.target, p.loss, p.flip);
            comparePopGrad(e, want, exact.grad(), exact, p.tolerance());
            e.cases++;
            if (fast == null) continue;
            // both are off from the exact values by ≤ u·m·scale: twice that, with a factor 2 to spare
            comparePopGrad(vs, fast.compute(p.net, p.target, p.loss, p.flip), want, exact, 2 * p.tolerance());
            vs.cases++;
        }
        return fast == null ? List.of(e.row()) : List.of(vs.row(), e.row());
    }

    private static void comparePopGrad(Errors e, PopGrad got, PopGrad want, DoublePopGrad.Result s, double tol) {
        int n = want.n(), h = want.h();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < h; j++) e.compare(got.w(i, j), want.w(i, j), tol, s.scaleB()[j]); // |x_i| = 1: ∂W_ij has ∂b_j's terms
        }
        for (int j = 0; j < h; j++) {
            e.compare(got.b()[j], want.b()[j], tol, s.scaleB()[j]);
            e.compare(got.a()[j], want.a()[j], tol, s.scaleA()[j]);
        }
        e.compare(got.c(), want.c(), tol, s.scaleC());
        e.compare(got.loss(), want.loss(), tol, s.scaleLoss());
        e.compare(got.accuracy(), want.accuracy(), tol, 0); // a scale of 0: exact
    }

    /** One random population-gradient case: a ReLU net on the grid, a target, a loss (in turn) and a label noise. */
    private record PopCase(Mlp2 net, PopTarget target, Loss loss, double flip) {
        static PopCase draw(int c, RandomGenerator rng) {
            int n, h;
            if (c % 100 == 50) { // L = 6 at h = 257: 2^7 blocks, 6 mid bits and a top bit (the brute force takes ~0.1 s)
                n = 13;
                h = 257;
            } else {
                do {
                    n = POP_N[rng.nextInt(POP_N.length)];
                    h = POP_H[rng.nextInt(POP_H.length)];
                } while ((1L << n) * n * h > POP_WORK);
            }
            Mlp2 net = new Mlp2(n, h).initUniform(rng);
            // multiples of 2⁻⁸ with |z| ≤ (n+1)/√n ≤ 4 and Σ_j |a_j z_j| ≤ 4√h ≤ 65: z, a·σ(z) and f are exact floats
            // in any order, so every implementation takes the same ReLU and hinge branches and counts the same correct inputs
            for (int k = 0; k < net.w.length; k++) net.w[k] = Math.round(net.w[k] * 256f) / 256f;
            for (int j = 0; j < h; j++) {
                net.b[j] = Math.round(net.b[j] * 256f) / 256f;
                net.a[j] = Math.round(net.a[j] * 256f) / 256f;
            }
            net.c = Math.round(net.c * 256f) / 256f;
            PopTarget target;
            int kind = rng.nextInt(3);
            if (kind == 0 && (n & 1) == 1) {
                target = PopTarget.majority(n);
            } else {
                int k = kind == 1 ? 1 : 1 + rng.nextInt(Math.min(n, 3)); // a dictator (large gradients) or a small parity
                target = PopTarget.parity(n, rng.ints(0, n).distinct().limit(k).toArray());
            }
            double[] flips = {0, 0, 0.1, 0.5};
            return new PopCase(net, target, Loss.values()[c % Loss.values().length], flips[rng.nextInt(flips.length)]);
        }

        /**
         * 2ε·m, m the longest float chain of the enumeration: a block's 2^L inputs, then at most 2^6 blocks (mid
         * table, top bits) or 32 (the flush interval) before a double sum takes over, and the loss's own rounding.
         */
        double tolerance() {
            return 2 * EPS * ((1 << PopGrads.lowBits(net.n, net.h)) + 64 + 2);
        }
    }

    private static RandomGenerator rng(long seed) {
        return RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
    }
}
