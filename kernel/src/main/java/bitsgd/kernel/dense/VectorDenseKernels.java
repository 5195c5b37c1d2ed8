package bitsgd.kernel.dense;

import bitsgd.kernel.mlp.VectorMlpKernels;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API twin of {@link ScalarDenseKernels}: register-blocked float matmuls. Loaded only after the
 * provider has checked that the incubator module is present.
 *
 * <pre>
 * forward, update: vectors run along j (a row of W, a row of out / dOut), so every lane does exactly the
 * scalar reference's fma chain and the results are bit-identical to it.
 *
 *   forward, one block = 4 samples × 2 vectors of j (8 accumulators):
 *     acc[r][c] = bias[j + c·LANES..]                             r = sample b..b+3
 *     for i: w_c = W[i, j + c·LANES..]   x_r = broadcast(in[b+r, i])   acc[r][c] = fma(x_r, w_c, acc[r][c])
 *
 *   update, one block = 4 rows i × 2 vectors of j (the gradient block never leaves registers):
 *     for b: d_c = dOut[b, j + c·LANES..]   x_r = broadcast(in[b, i+r])   G[r][c] = fma(x_r, d_c, G[r][c])
 *     W[i+r, j + c·LANES..] ← fma(fma(W, λ, G), −η, W)
 *
 * backwardInput: j is the reduction, so the blocks are 4 samples × 2 rows i with vector partial sums
 * along j; each partial vector is then summed lane 0, 1, …, LANES−1 in order (never reduceLanes(ADD),
 * whose association changes once C2 compiles it), and the columns past the last full vector are added
 * one fma at a time in j order.
 * </pre>
 * Columns past {@code F.loopBound(outs)} go through a half-width vector (when F ≥ 256 bits: width 40 at
 * 16 lanes is 2 full vectors + 1 half) and then scalar code, 4 samples at a time; no masks. A half right after
 * the last pair of vectors joins that pair's block (4 × 2½ vectors, 12 chains), in forward and update alike.
 * A single-column update (a W→1 layer) runs as the one row it is stored as, vectors along i.
 *
 * The fused ReLU layer: forwardRelu is forward then one flat pass for max(z, 0) (+ in); backwardRelu is one
 * flat pass for the mask, then forward on the transposed weights with a zero bias (its sums are forward's
 * chains, so bit-exact too), then one flat pass adding the skip.
 */
public final class VectorDenseKernels implements DenseKernels {

    /** The MLP kernels' species (one -Dbitsgd.vectorBits choice per JVM); static final so C2 folds it. */
    static final VectorSpecies<Float> F = VectorMlpKernels.species();
    static final int LANES = F.length();
    /** Half-width species for the column tail; only used when {@link #USE_HALF}. */
    static final VectorSpecies<Float> H = VectorSpecies.of(float.class,
            VectorShape.forBitSize(Math.max(128, F.vectorBitSize() / 2)));
    static final int HALF = H.length();
    static final boolean USE_HALF = HALF < LANES;

    private VectorDenseKernels() {}

    public static DenseKernels create() {
        return new VectorDenseKernels();
    }

    /** Float lanes of the species in use. */
    public static int lanes() {
        return LANES;
    }

    @Override
    public String name() {
        return "vector-" + F.vectorBitSize();
    }

    // ---------------------------------------------------------------- forward

    @Override
    public void forward(float[] in, int batch, int ins, float[] w, float[] bias, int outs, float[] out) {
        if (bias == null) bias = zeros(outs);   // the chains start at +0, as the reference's
        DenseKernels.checkShapes(batch, ins, outs, in.length, w.length, out.length, bias.length);
        final int bound = F.loopBound(outs), pairEnd = bound - bound % (2 * LANES);
        // the last pair of vectors takes a half-width tail right after it along: 12 chains instead of 8, then 4
        final boolean fuse = USE_HALF && pairEnd == bound && pairEnd > 0 && outs - bound >= HALF;
        final int plainEnd = fuse ? pairEnd - 2 * LANES : pairEnd;
        int j = 0;
        // one column block per call: small compile units, only arrays and ints cross the calls
        for (; j < plainEnd; j += 2 * LANES) forward2(in, batch, ins, w, bias, outs, out, j);
        if (fuse) {
            forward2h(in, batch, ins, w, bias, outs, out, j);
            j += 2 * LANES + HALF;
        }
        for (; j < bound; j += LANES) forward1(in, batch, ins, w, bias, outs, out, j);
        if (USE_HALF) for (; j + HALF <= outs; j += HALF) forwardHalf(in, batch, ins, w, bias, outs, out, j);
        for (; j < outs; j++) forwardColumn(in, batch, ins, w, bias, outs, out, j);
    }

    /** Column j in scalar code, 4 samples at a time so that 4 fma chains overlap (a W→1 layer is all this). */
    private static void forwardColumn(float[] in, int batch, int ins, float[] w, float[] bias, int outs, float[] out, int j) {
        int b = 0;
        for (; b + 4 <= batch; b += 4) {
            float a0 = bias[j], a1 = a0, a2 = a0, a3 = a0;
            final int r0 = b * ins, r1 = r0 + ins, r2 = r1 + ins, r3 = r2 + ins;
            for (int i = 0, wi = j; i < ins; i++, wi += outs) {
                float v = w[wi];
                a0 = Math.fma(in[r0 + i], v, a0);
                a1 = Math.fma(in[r1 + i], v, a1);
                a2 = Math.fma(in[r2 + i], v, a2);
                a3 = Math.fma(in[r3 + i], v, a3);
            }
            int o = b * outs + j;
            out[o] = a0;
            out[o + outs] = a1;
            out[o + 2 * outs] = a2;
            out[o + 3 * outs] = a3;
        }
        for (; b < batch; b++) {
            float acc = bias[j];
            for (int i = 0, r = b * ins, wi = j; i < ins; i++, wi += outs) acc = Math.fma(in[r + i], w[wi], acc);
            out[b * outs + j] = acc;
        }
    }

    /** Columns j..j+2·LANES+HALF−1: 4 samples × (2 vectors + a half) = 12 independent fma chains. */
    private static void forward2h(float[] in, int batch, int ins, float[] w, float[] bias, int outs, float[] out, int j) {
        final int jh = j + 2 * LANES;
        final FloatVector bias0 = FloatVector.fromArray(F, bias, j), bias1 = FloatVector.fromArray(F, bias, j + LANES);
        final FloatVector biasH = FloatVector.fromArray(H, bias, jh);
        int b = 0;
        for (; b + 4 <= batch; b += 4) {
            FloatVector a0 = bias0, a1 = bias0, a2 = bias0, a3 = bias0;
            FloatVector c0 = bias1, c1 = bias1, c2 = bias1, c3 = bias1;
            FloatVector e0 = biasH, e1 = biasH, e2 = biasH, e3 = biasH;
            final int r0 = b * ins, r1 = r0 + ins, r2 = r1 + ins, r3 = r2 + ins;
            for (int i = 0, wi = j; i < ins; i++, wi += outs) {
                FloatVector w0 = FloatVector.fromArray(F, w, wi), w1 = FloatVector.fromArray(F, w, wi + LANES);
                FloatVector wh = FloatVector.fromArray(H, w, wi + 2 * LANES);
                float s0 = in[r0 + i], s1 = in[r1 + i], s2 = in[r2 + i], s3 = in[r3 + i];
                FloatVector x0 = FloatVector.broadcast(F, s0);
                a0 = x0.fma(w0, a0);
                c0 = x0.fma(w1, c0);
                e0 = FloatVector.broadcast(H, s0).fma(wh, e0);
                FloatVector x1 = FloatVector.broadcast(F, s1);
                a1 = x1.fma(w0, a1);
                c1 = x1.fma(w1, c1);
                e1 = FloatVector.broadcast(H, s1).fma(wh, e1);
                FloatVector x2 = FloatVector.broadcast(F, s2);
                a2 = x2.fma(w0, a2);
                c2 = x2.fma(w1, c2);
                e2 = FloatVector.broadcast(H, s2).fma(wh, e2);
                FloatVector x3 = FloatVector.broadcast(F, s3);
                a3 = x3.fma(w0, a3);
                c3 = x3.fma(w1, c3);
                e3 = FloatVector.broadcast(H, s3).fma(wh, e3);
            }
            int o = b * outs + j;
            a0.intoArray(out, o);
            c0.intoArray(out, o + LANES);
            e0.intoArray(out, o + 2 * LANES);
            o += outs;
            a1.intoArray(out, o);
            c1.intoArray(out, o + LANES);
            e1.intoArray(out, o + 2 * LANES);
            o += outs;
            a2.intoArray(out, o);
            c2.intoArray(out, o + LANES);
            e2.intoArray(out, o + 2 * LANES);
            o += outs;
            a3.intoArray(out, o);
            c3.intoArray(out, o + LANES);
            e3.intoArray(out, o + 2 * LANES);
        }
        for (; b < batch; b++) {
            FloatVector a0 = bias0, c0 = bias1, e0 = biasH;
            final int r0 = b * ins;
            for (int i = 0, wi = j; i < ins; i++, wi += outs) {
                float s0 = in[r0 + i];
                FloatVector x0 = FloatVector.broadcast(F, s0);
                a0 = x0.fma(FloatVector.fromArray(F, w, wi), a0);
                c0 = x0.fma(FloatVector.fromArray(F, w, wi + LANES), c0);
                e0 = FloatVector.broadcast(H, s0).fma(FloatVector.fromArray(H, w, wi + 2 * LANES), e0);
            }
            int o = b * outs + j;
            a0.intoArray(out, o);
            c0.intoArray(out, o + LANES);
            e0.intoArray(out, o + 2 * LANES);
        }
    }

    /** Columns j..j+2·LANES−1: 4 samples × 2 vectors = 8 independent fma chains. */
    private static void forward2(float[] in, int batch, int ins, float[] w, float[] bias, int outs, float[] out, int j) {
        final FloatVector bias0 = FloatVector.fromArray(F, bias, j), bias1 = FloatVector.fromArray(F, bias, j + LANES);
        int b = 0;
        for (; b + 4 <= batch; b += 4) {
            FloatVector a0 = bias0, a1 = bias0, a2 = bias0, a3 = bias0;
            FloatVector c0 = bias1, c1 = bias1, c2 = bias1, c3 = bias1;
            final int r0 = b * ins, r1 = r0 + ins, r2 = r1 + ins, r3 = r2 + ins;
            for (int i = 0, wi = j; i < ins; i++, wi += outs) {
                FloatVector w0 = FloatVector.fromArray(F, w, wi), w1 = FloatVector.fromArray(F, w, wi + LANES);
                FloatVector x0 = FloatVector.broadcast(F, in[r0 + i]);
                a0 = x0.fma(w0, a0);
                c0 = x0.fma(w1, c0);
                FloatVector x1 = FloatVector.broadcast(F, in[r1 + i]);
                a1 = x1.fma(w0, a1);
                c1 = x1.fma(w1, c1);
                FloatVector x2 = FloatVector.broadcast(F, in[r2 + i]);
                a2 = x2.fma(w0, a2);
                c2 = x2.fma(w1, c2);
                FloatVector x3 = FloatVector.broadcast(F, in[r3 + i]);
                a3 = x3.fma(w0, a3);
                c3 = x3.fma(w1, c3);
            }
            int o = b * outs + j;
            a0.intoArray(out, o);
            c0.intoArray(out, o + LANES);
            o += outs;
            a1.intoArray(out, o);
            c1.intoArray(out, o + LANES);
            o += outs;
            a2.intoArray(out, o);
            c2.intoArray(out, o + LANES);
            o += outs;
            a3.intoArray(out, o);
            c3.intoArray(out, o + LANES);
        }
        for (; b < batch; b++) {
            FloatVector a0 = bias0, c0 = bias1;
            final int r0 = b * ins;
            for (int i = 0, wi = j; i < ins; i++, wi += outs) {
                FloatVector x0 = FloatVector.broadcast(F, in[r0 + i]);
                a0 = x0.fma(FloatVector.fromArray(F, w, wi), a0);
                c0 = x0.fma(FloatVector.fromArray(F, w, wi + LANES), c0);
            }
            a0.intoArray(out, b * outs + j);
            c0.intoArray(out, b * outs + j + LANES);
        }
    }

    /** Columns j..j+LANES−1: 4 samples × 1 vector. */
    private static void forward1(float[] in, int batch, int ins, float[] w, float[] bias, int outs, float[] out, int j) {
        final FloatVector bias0 = FloatVector.fromArray(F, bias, j);
        int b = 0;
        for (; b + 4 <= batch; b += 4) {
            FloatVector a0 = bias0, a1 = bias0, a2 = bias0, a3 = bias0;
            final int r0 = b * ins, r1 = r0 + ins, r2 = r1 + ins, r3 = r2 + ins;
            for (int i = 0, wi = j; i < ins; i++, wi += outs) {
                FloatVector w0 = FloatVector.fromArray(F, w, wi);
                a0 = FloatVector.broadcast(F, in[r0 + i]).fma(w0, a0);
                a1 = FloatVector.broadcast(F, in[r1 + i]).fma(w0, a1);
                a2 = FloatVector.broadcast(F, in[r2 + i]).fma(w0, a2);
                a3 = FloatVector.broadcast(F, in[r3 + i]).fma(w0, a3);
            }
            int o = b * outs + j;
            a0.intoArray(out, o);
            a1.intoArray(out, o + outs);
            a2.intoArray(out, o + 2 * outs);
            a3.intoArray(out, o + 3 * outs);
        }
        for (; b < batch; b++) {
            FloatVector a0 = bias0;
            final int r0 = b * ins;
            for (int i = 0, wi = j; i < ins; i++, wi += outs) {
                a0 = FloatVector.broadcast(F, in[r0 + i]).fma(FloatVector.fromArray(F, w, wi), a0);
            }
            a0.intoArray(out, b * outs + j);
        }
    }

    /** {@link #forward1} on the half-width species, for a column tail of at least HALF columns. */
    private static void forwardHalf(float[] in, int batch, int ins, float[] w, float[] bias, int outs, float[] out, int j) {
        final FloatVector bias0 = FloatVector.fromArray(H, bias, j);
        int b = 0;
        for (; b + 4 <= batch; b += 4) {
            FloatVector a0 = bias0, a1 = bias0, a2 = bias0, a3 = bias0;
            final int r0 = b * ins, r1 = r0 + ins, r2 = r1 + ins, r3 = r2 + ins;
            for (int i = 0, wi = j; i < ins; i++, wi += outs) {
                FloatVector w0 = FloatVector.fromArray(H, w, wi);
                a0 = FloatVector.broadcast(H, in[r0 + i]).fma(w0, a0);
                a1 = FloatVector.broadcast(H, in[r1 + i]).fma(w0, a1);
                a2 = FloatVector.broadcast(H, in[r2 + i]).fma(w0, a2);
                a3 = FloatVector.broadcast(H, in[r3 + i]).fma(w0, a3);
            }
            int o = b * outs + j;
            a0.intoArray(out, o);
            a1.intoArray(out, o + outs);
            a2.intoArray(out, o + 2 * outs);
            a3.intoArray(out, o + 3 * outs);
        }
        for (; b < batch; b++) {
            FloatVector a0 = bias0;
            final int r0 = b * ins;
            for (int i = 0, wi = j; i < ins; i++, wi += outs) {
                a0 = FloatVector.broadcast(H, in[r0 + i]).fma(FloatVector.fromArray(H, w, wi), a0);
            }
            a0.intoArray(out, b * outs + j);
        }
    }

    // ---------------------------------------------------------------- the fused ReLU layer

    @Override
    public void forwardRelu(float[] in, int batch, int ins, float[] w, float[] bias, int outs, float[] z, float[] h, boolean skip) {
        DenseKernels.checkRelu(batch, ins, outs, skip, z, null, h);
        if (in == z || in == h) throw new IllegalArgumentException("in must be its own array");
        forward(in, batch, ins, w, bias, outs, z);
        // rows are contiguous and (with a skip) in has the same row length, so the elementwise part is one flat pass
        if (skip) reluSkip(z, in, h, batch * outs);
        else relu(z, h, batch * outs);
    }

    /** h = max(z, 0) over [0, len). */
    private static void relu(float[] z, float[] h, int len) {
        final int bound = F.loopBound(len);
        int k = 0;
        for (; k < bound; k += LANES) FloatVector.fromArray(F, z, k).max(0f).intoArray(h, k);
        for (; k < len; k++) h[k] = Math.max(z[k], 0f);
    }

    /** h = max(z, 0) + in over [0, len). */
    private static void reluSkip(float[] z, float[] in, float[] h, int len) {
        final int bound = F.loopBound(len);
        int k = 0;
        for (; k < bound; k += LANES) FloatVector.fromArray(F, z, k).max(0f).add(FloatVector.fromArray(F, in, k)).intoArray(h, k);
        for (; k < len; k++) h[k] = Math.max(z[k], 0f) + in[k];
    }

    @Override
    public void backwardRelu(float[] dh, float[] z, int batch, int outs, float[] wt, int ins, float[] delta, float[] dIn, boolean skip) {
        DenseKernels.checkRelu(batch, ins, outs, skip, dh, z, delta);
        final int len = batch * outs;
        mask(dh, z, delta, len);
        if (dIn == null) return;
        if (dIn == dh || dIn == delta || dIn == z) throw new IllegalArgumentException("dIn must be its own array");
        // Σ_j δ[b,j] Wt[j,i] is forward on the transpose with a zero bias: acc = +0, then the fma chain in j order
        forward(delta, batch, outs, wt, null, ins, dIn);
        if (skip) addInto(dh, dIn, len);
    }

    /** delta = dh where z &gt; 0, else 0, over [0, len). */
    private static void mask(float[] dh, float[] z, float[] delta, int len) {
        final int bound = F.loopBound(len);
        final FloatVector zero = FloatVector.zero(F);
        int k = 0;
        for (; k < bound; k += LANES) {
            zero.blend(FloatVector.fromArray(F, dh, k), FloatVector.fromArray(F, z, k).compare(VectorOperators.GT, 0f)).intoArray(delta, k);
        }
        for (; k < len; k++) delta[k] = z[k] > 0f ? dh[k] : 0f;
    }

    /** acc += a over [0, len). */
    private static void addInto(float[] a, float[] acc, int len) {
        final int bound = F.loopBound(len);
        int k = 0;
        for (; k < bound; k += LANES) FloatVector.fromArray(F, acc, k).add(FloatVector.fromArray(F, a, k)).intoArray(acc, k);
        for (; k < len; k++) acc[k] += a[k];
    }

    /** A shared all-zero bias of at least {@code len} floats (never written: any thread may see any copy). */
    private static float[] zeros(int len) {
        float[] z = zeros;
        if (z.length < len) zeros = z = new float[Math.max(len, 2 * z.length)];
        return z;
    }

    private static volatile float[] zeros = new float[256];

    // ---------------------------------------------------------------- backward (input gradient)

    @Override
    public void backwardInput(float[] dOut, int batch, int outs, float[] w, int ins, float[] dIn) {
        DenseKernels.checkShapes(batch, ins, outs, dIn.length, w.length, dOut.length, -1);
        if (outs < LANES) {
            // no full vector along j: the scalar reference's order is this kernel's order, and it is cheaper
            ScalarDenseKernels.INSTANCE.backwardInput(dOut, batch, outs, w, ins, dIn);
            return;
        }
        final float[] lanes = new float[8 * LANES];
        int b = 0;
        for (; b + 4 <= batch; b += 4) backward4(dOut, b, outs, w, ins, dIn, lanes);
        for (; b < batch; b++) backward1(dOut, b, outs, w, ins, dIn, lanes);
    }

    /** Samples b..b+3, rows in pairs: 4 × 2 = 8 independent fma chains along j. */
    private static void backward4(float[] dOut, int b, int outs, float[] w, int ins, float[] dIn, float[] lanes) {
        final int bound = F.loopBound(outs);
        final int d0 = b * outs, d1 = d0 + outs, d2 = d1 + outs, d3 = d2 + outs;
        int i = 0;
        for (; i + 2 <= ins; i += 2) {
            final int w0 = i * outs, w1 = w0 + outs;
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, c0 = a0, c1 = a0, c2 = a0, c3 = a0;
            for (int j = 0; j < bound; j += LANES) {
                FloatVector u = FloatVector.fromArray(F, w, w0 + j), v = FloatVector.fromArray(F, w, w1 + j);
                FloatVector g0 = FloatVector.fromArray(F, dOut, d0 + j);
                a0 = g0.fma(u, a0);
                c0 = g0.fma(v, c0);
                FloatVector g1 = FloatVector.fromArray(F, dOut, d1 + j);
                a1 = g1.fma(u, a1);
                c1 = g1.fma(v, c1);
                FloatVector g2 = FloatVector.fromArray(F, dOut, d2 + j);
                a2 = g2.fma(u, a2);
                c2 = g2.fma(v, c2);
                FloatVector g3 = FloatVector.fromArray(F, dOut, d3 + j);
                a3 = g3.fma(u, a3);
                c3 = g3.fma(v, c3);
            }
            a0.intoArray(lanes, 0);
            a1.intoArray(lanes, LANES);
            a2.intoArray(lanes, 2 * LANES);
            a3.intoArray(lanes, 3 * LANES);
            c0.intoArray(lanes, 4 * LANES);
            c1.intoArray(lanes, 5 * LANES);
            c2.intoArray(lanes, 6 * LANES);
            c3.intoArray(lanes, 7 * LANES);
            final int o = b * ins + i;
            dIn[o] = finish(lanes, 0, dOut, d0, w, w0, bound, outs);
            dIn[o + ins] = finish(lanes, LANES, dOut, d1, w, w0, bound, outs);
            dIn[o + 2 * ins] = finish(lanes, 2 * LANES, dOut, d2, w, w0, bound, outs);
            dIn[o + 3 * ins] = finish(lanes, 3 * LANES, dOut, d3, w, w0, bound, outs);
            dIn[o + 1] = finish(lanes, 4 * LANES, dOut, d0, w, w1, bound, outs);
            dIn[o + ins + 1] = finish(lanes, 5 * LANES, dOut, d1, w, w1, bound, outs);
            dIn[o + 2 * ins + 1] = finish(lanes, 6 * LANES, dOut, d2, w, w1, bound, outs);
            dIn[o + 3 * ins + 1] = finish(lanes, 7 * LANES, dOut, d3, w, w1, bound, outs);
        }
        for (; i < ins; i++) {
            final int w0 = i * outs;
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
            for (int j = 0; j < bound; j += LANES) {
                FloatVector u = FloatVector.fromArray(F, w, w0 + j);
                a0 = FloatVector.fromArray(F, dOut, d0 + j).fma(u, a0);
                a1 = FloatVector.fromArray(F, dOut, d1 + j).fma(u, a1);
                a2 = FloatVector.fromArray(F, dOut, d2 + j).fma(u, a2);
                a3 = FloatVector.fromArray(F, dOut, d3 + j).fma(u, a3);
            }
            a0.intoArray(lanes, 0);
            a1.intoArray(lanes, LANES);
            a2.intoArray(lanes, 2 * LANES);
            a3.intoArray(lanes, 3 * LANES);
            final int o = b * ins + i;
            dIn[o] = finish(lanes, 0, dOut, d0, w, w0, bound, outs);
            dIn[o + ins] = finish(lanes, LANES, dOut, d1, w, w0, bound, outs);
            dIn[o + 2 * ins] = finish(lanes, 2 * LANES, dOut, d2, w, w0, bound, outs);
            dIn[o + 3 * ins] = finish(lanes, 3 * LANES, dOut, d3, w, w0, bound, outs);
        }
    }

    /** One sample b, one row at a time. */
    private static void backward1(float[] dOut, int b, int outs, float[] w, int ins, float[] dIn, float[] lanes) {
        final int bound = F.loopBound(outs);
        final int d0 = b * outs;
        for (int i = 0; i < ins; i++) {
            final int w0 = i * outs;
            FloatVector a0 = FloatVector.zero(F);
            for (int j = 0; j < bound; j += LANES) {
                a0 = FloatVector.fromArray(F, dOut, d0 + j).fma(FloatVector.fromArray(F, w, w0 + j), a0);
            }
            a0.intoArray(lanes, 0);
            dIn[b * ins + i] = finish(lanes, 0, dOut, d0, w, w0, bound, outs);
        }
    }

    /** Lanes at {@code lanes[at..at+LANES)} summed in lane order, then the columns j ≥ bound one fma at a time. */
    private static float finish(float[] lanes, int at, float[] dOut, int d, float[] w, int wr, int bound, int outs) {
        float sum = lanes[at];
        for (int l = 1; l < LANES; l++) sum += lanes[at + l];
        for (int j = bound; j < outs; j++) sum = Math.fma(dOut[d + j], w[wr + j], sum);
        return sum;
    }

    // ---------------------------------------------------------------- fused weight update

    @Override
    public void update(float[] in, float[] dOut, int batch, int ins, int outs, float[] w, float[] bias, float lr, float weightDecay) {
        DenseKernels.checkShapes(batch, ins, outs, in.length, w.length, dOut.length, bias == null ? -1 : bias.length);
        // a single column (the W→1 layer) is laid out like its transpose, one row of ins weights, and its gradient
        // Σ_b in[b,i]·dOut[b] is Σ_b dOut[b]·in[b,i] fma by fma: so update that row, vectors along i
        if (outs == 1) updateWeights(dOut, in, batch, 1, ins, w, lr, weightDecay);
        else updateWeights(in, dOut, batch, ins, outs, w, lr, weightDecay);
        if (bias != null) updateBias(dOut, batch, outs, bias, lr, weightDecay);
    }

    private static void updateWeights(float[] in, float[] dOut, int batch, int ins, int outs, float[] w, float lr, float weightDecay) {
        final int bound = F.loopBound(outs), pairEnd = bound - bound % (2 * LANES);
        // as in forward: the last pair of vectors takes a half-width tail right after it along
        final boolean fuse = USE_HALF && pairEnd == bound && pairEnd > 0 && outs - bound >= HALF;
        final int plainEnd = fuse ? pairEnd - 2 * LANES : pairEnd;
        int j = 0;
        for (; j < plainEnd; j += 2 * LANES) update2(in, dOut, batch, ins, outs, w, lr, weightDecay, j);
        if (fuse) {
            update2h(in, dOut, batch, ins, outs, w, lr, weightDecay, j);
            j += 2 * LANES + HALF;
        }
        for (; j < bound; j += LANES) update1(in, dOut, batch, ins, outs, w, lr, weightDecay, j);
        if (USE_HALF) for (; j + HALF <= outs; j += HALF) updateHalf(in, dOut, batch, ins, outs, w, lr, weightDecay, j);
        for (; j < outs; j++) {
            for (int i = 0; i < ins; i++) {
                float grad = 0f;
                for (int b = 0; b < batch; b++) grad = Math.fma(in[b * ins + i], dOut[b * outs + j], grad);
                int k = i * outs + j;
                w[k] = ScalarDenseKernels.sgd(w[k], grad, lr, weightDecay);
            }
        }
    }

    /** Columns j..j+2·LANES+HALF−1, rows in fours: a 4 × (2 + ½) gradient block in 12 registers, applied at once. */
    private static void update2h(float[] in, float[] dOut, int batch, int ins, int outs, float[] w, float lr, float wd, int j) {
        final FloatVector wdv = FloatVector.broadcast(F, wd), negLr = FloatVector.broadcast(F, -lr);
        final FloatVector wdh = FloatVector.broadcast(H, wd), negLrH = FloatVector.broadcast(H, -lr);
        final int jh = j + 2 * LANES;
        int i = 0;
        for (; i + 4 <= ins; i += 4) {
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, c0 = a0, c1 = a0, c2 = a0, c3 = a0;
            FloatVector e0 = FloatVector.zero(H), e1 = e0, e2 = e0, e3 = e0;
            for (int b = 0, d = j, r = i; b < batch; b++, d += outs, r += ins) {
                FloatVector g0 = FloatVector.fromArray(F, dOut, d), g1 = FloatVector.fromArray(F, dOut, d + LANES);
                FloatVector gh = FloatVector.fromArray(H, dOut, d + 2 * LANES);
                float s0 = in[r], s1 = in[r + 1], s2 = in[r + 2], s3 = in[r + 3];
                FloatVector x0 = FloatVector.broadcast(F, s0);
                a0 = x0.fma(g0, a0);
                c0 = x0.fma(g1, c0);
                e0 = FloatVector.broadcast(H, s0).fma(gh, e0);
                FloatVector x1 = FloatVector.broadcast(F, s1);
                a1 = x1.fma(g0, a1);
                c1 = x1.fma(g1, c1);
                e1 = FloatVector.broadcast(H, s1).fma(gh, e1);
                FloatVector x2 = FloatVector.broadcast(F, s2);
                a2 = x2.fma(g0, a2);
                c2 = x2.fma(g1, c2);
                e2 = FloatVector.broadcast(H, s2).fma(gh, e2);
                FloatVector x3 = FloatVector.broadcast(F, s3);
                a3 = x3.fma(g0, a3);
                c3 = x3.fma(g1, c3);
                e3 = FloatVector.broadcast(H, s3).fma(gh, e3);
            }
            int k = i * outs + j;
            FloatVector p = FloatVector.fromArray(F, w, k), q = FloatVector.fromArray(F, w, k + LANES), t = FloatVector.fromArray(H, w, k + 2 * LANES);
            p.fma(wdv, a0).fma(negLr, p).intoArray(w, k);
            q.fma(wdv, c0).fma(negLr, q).intoArray(w, k + LANES);
            t.fma(wdh, e0).fma(negLrH, t).intoArray(w, k + 2 * LANES);
            k += outs;
            p = FloatVector.fromArray(F, w, k);
            q = FloatVector.fromArray(F, w, k + LANES);
            t = FloatVector.fromArray(H, w, k + 2 * LANES);
            p.fma(wdv, a1).fma(negLr, p).intoArray(w, k);
            q.fma(wdv, c1).fma(negLr, q).intoArray(w, k + LANES);
            t.fma(wdh, e1).fma(negLrH, t).intoArray(w, k + 2 * LANES);
            k += outs;
            p = FloatVector.fromArray(F, w, k);
            q = FloatVector.fromArray(F, w, k + LANES);
            t = FloatVector.fromArray(H, w, k + 2 * LANES);
            p.fma(wdv, a2).fma(negLr, p).intoArray(w, k);
            q.fma(wdv, c2).fma(negLr, q).intoArray(w, k + LANES);
            t.fma(wdh, e2).fma(negLrH, t).intoArray(w, k + 2 * LANES);
            k += outs;
            p = FloatVector.fromArray(F, w, k);
            q = FloatVector.fromArray(F, w, k + LANES);
            t = FloatVector.fromArray(H, w, k + 2 * LANES);
            p.fma(wdv, a3).fma(negLr, p).intoArray(w, k);
            q.fma(wdv, c3).fma(negLr, q).intoArray(w, k + LANES);
            t.fma(wdh, e3).fma(negLrH, t).intoArray(w, k + 2 * LANES);
        }
        for (; i < ins; i++) {
            FloatVector a0 = FloatVector.zero(F), c0 = a0, e0 = FloatVector.zero(H);
            for (int b = 0, d = j, r = i; b < batch; b++, d += outs, r += ins) {
                float s0 = in[r];
                FloatVector x0 = FloatVector.broadcast(F, s0);
                a0 = x0.fma(FloatVector.fromArray(F, dOut, d), a0);
                c0 = x0.fma(FloatVector.fromArray(F, dOut, d + LANES), c0);
                e0 = FloatVector.broadcast(H, s0).fma(FloatVector.fromArray(H, dOut, d + 2 * LANES), e0);
            }
            int k = i * outs + j;
            FloatVector p = FloatVector.fromArray(F, w, k), q = FloatVector.fromArray(F, w, k + LANES), t = FloatVector.fromArray(H, w, k + 2 * LANES);
            p.fma(wdv, a0).fma(negLr, p).intoArray(w, k);
            q.fma(wdv, c0).fma(negLr, q).intoArray(w, k + LANES);
            t.fma(wdh, e0).fma(negLrH, t).intoArray(w, k + 2 * LANES);
        }
    }

    /** Columns j..j+2·LANES−1, rows in fours: a 4 × 2 gradient block in 8 registers, applied at once. */
    private static void update2(float[] in, float[] dOut, int batch, int ins, int outs, float[] w, float lr, float wd, int j) {
        final FloatVector wdv = FloatVector.broadcast(F, wd), negLr = FloatVector.broadcast(F, -lr);
        int i = 0;
        for (; i + 4 <= ins; i += 4) {
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, c0 = a0, c1 = a0, c2 = a0, c3 = a0;
            for (int b = 0, d = j, r = i; b < batch; b++, d += outs, r += ins) {
                FloatVector g0 = FloatVector.fromArray(F, dOut, d), g1 = FloatVector.fromArray(F, dOut, d + LANES);
                FloatVector x0 = FloatVector.broadcast(F, in[r]);
                a0 = x0.fma(g0, a0);
                c0 = x0.fma(g1, c0);
                FloatVector x1 = FloatVector.broadcast(F, in[r + 1]);
                a1 = x1.fma(g0, a1);
                c1 = x1.fma(g1, c1);
                FloatVector x2 = FloatVector.broadcast(F, in[r + 2]);
                a2 = x2.fma(g0, a2);
                c2 = x2.fma(g1, c2);
                FloatVector x3 = FloatVector.broadcast(F, in[r + 3]);
                a3 = x3.fma(g0, a3);
                c3 = x3.fma(g1, c3);
            }
            int k = i * outs + j;
            FloatVector p = FloatVector.fromArray(F, w, k), q = FloatVector.fromArray(F, w, k + LANES);
            p.fma(wdv, a0).fma(negLr, p).intoArray(w, k);
            q.fma(wdv, c0).fma(negLr, q).intoArray(w, k + LANES);
            k += outs;
            p = FloatVector.fromArray(F, w, k);
            q = FloatVector.fromArray(F, w, k + LANES);
            p.fma(wdv, a1).fma(negLr, p).intoArray(w, k);
            q.fma(wdv, c1).fma(negLr, q).intoArray(w, k + LANES);
            k += outs;
            p = FloatVector.fromArray(F, w, k);
            q = FloatVector.fromArray(F, w, k + LANES);
            p.fma(wdv, a2).fma(negLr, p).intoArray(w, k);
            q.fma(wdv, c2).fma(negLr, q).intoArray(w, k + LANES);
            k += outs;
            p = FloatVector.fromArray(F, w, k);
            q = FloatVector.fromArray(F, w, k + LANES);
            p.fma(wdv, a3).fma(negLr, p).intoArray(w, k);
            q.fma(wdv, c3).fma(negLr, q).intoArray(w, k + LANES);
        }
        for (; i < ins; i++) {
            FloatVector a0 = FloatVector.zero(F), c0 = a0;
            for (int b = 0, d = j, r = i; b < batch; b++, d += outs, r += ins) {
                FloatVector x0 = FloatVector.broadcast(F, in[r]);
                a0 = x0.fma(FloatVector.fromArray(F, dOut, d), a0);
                c0 = x0.fma(FloatVector.fromArray(F, dOut, d + LANES), c0);
            }
            int k = i * outs + j;
            FloatVector p = FloatVector.fromArray(F, w, k), q = FloatVector.fromArray(F, w, k + LANES);
            p.fma(wdv, a0).fma(negLr, p).intoArray(w, k);
            q.fma(wdv, c0).fma(negLr, q).intoArray(w, k + LANES);
        }
    }

    /** Columns j..j+LANES−1, rows in fours. */
    private static void update1(float[] in, float[] dOut, int batch, int ins, int outs, float[] w, float lr, float wd, int j) {
        final FloatVector wdv = FloatVector.broadcast(F, wd), negLr = FloatVector.broadcast(F, -lr);
        int i = 0;
        for (; i + 4 <= ins; i += 4) {
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
            for (int b = 0, d = j, r = i; b < batch; b++, d += outs, r += ins) {
                FloatVector g0 = FloatVector.fromArray(F, dOut, d);
                a0 = FloatVector.broadcast(F, in[r]).fma(g0, a0);
                a1 = FloatVector.broadcast(F, in[r + 1]).fma(g0, a1);
                a2 = FloatVector.broadcast(F, in[r + 2]).fma(g0, a2);
                a3 = FloatVector.broadcast(F, in[r + 3]).fma(g0, a3);
            }
            int k = i * outs + j;
            FloatVector p = FloatVector.fromArray(F, w, k);
            p.fma(wdv, a0).fma(negLr, p).intoArray(w, k);
            p = FloatVector.fromArray(F, w, k + outs);
            p.fma(wdv, a1).fma(negLr, p).intoArray(w, k + outs);
            p = FloatVector.fromArray(F, w, k + 2 * outs);
            p.fma(wdv, a2).fma(negLr, p).intoArray(w, k + 2 * outs);
            p = FloatVector.fromArray(F, w, k + 3 * outs);
            p.fma(wdv, a3).fma(negLr, p).intoArray(w, k + 3 * outs);
        }
        for (; i < ins; i++) {
            FloatVector a0 = FloatVector.zero(F);
            for (int b = 0, d = j, r = i; b < batch; b++, d += outs, r += ins) {
                a0 = FloatVector.broadcast(F, in[r]).fma(FloatVector.fromArray(F, dOut, d), a0);
            }
            int k = i * outs + j;
            FloatVector p = FloatVector.fromArray(F, w, k);
            p.fma(wdv, a0).fma(negLr, p).intoArray(w, k);
        }
    }

    /**
     * {@link #update1} on the half-width species: a copy, not a species parameter, because a species passed into a
     * separately compiled method is no constant to C2 and its vector ops would not be intrinsified.
     */
    private static void updateHalf(float[] in, float[] dOut, int batch, int ins, int outs, float[] w, float lr, float wd, int j) {
        final FloatVector wdv = FloatVector.broadcast(H, wd), negLr = FloatVector.broadcast(H, -lr);
        int i = 0;
        for (; i + 4 <= ins; i += 4) {
            FloatVector a0 = FloatVector.zero(H), a1 = a0, a2 = a0, a3 = a0;
            for (int b = 0, d = j, r = i; b < batch; b++, d += outs, r += ins) {
                FloatVector g0 = FloatVector.fromArray(H, dOut, d);
                a0 = FloatVector.broadcast(H, in[r]).fma(g0, a0);
                a1 = FloatVector.broadcast(H, in[r + 1]).fma(g0, a1);
                a2 = FloatVector.broadcast(H, in[r + 2]).fma(g0, a2);
                a3 = FloatVector.broadcast(H, in[r + 3]).fma(g0, a3);
            }
            int k = i * outs + j;
            FloatVector p = FloatVector.fromArray(H, w, k);
            p.fma(wdv, a0).fma(negLr, p).intoArray(w, k);
            p = FloatVector.fromArray(H, w, k + outs);
            p.fma(wdv, a1).fma(negLr, p).intoArray(w, k + outs);
            p = FloatVector.fromArray(H, w, k + 2 * outs);
            p.fma(wdv, a2).fma(negLr, p).intoArray(w, k + 2 * outs);
            p = FloatVector.fromArray(H, w, k + 3 * outs);
            p.fma(wdv, a3).fma(negLr, p).intoArray(w, k + 3 * outs);
        }
        for (; i < ins; i++) {
            FloatVector a0 = FloatVector.zero(H);
            for (int b = 0, d = j, r = i; b < batch; b++, d += outs, r += ins) {
                a0 = FloatVector.broadcast(H, in[r]).fma(FloatVector.fromArray(H, dOut, d), a0);
            }
            int k = i * outs + j;
            FloatVector p = FloatVector.fromArray(H, w, k);
            p.fma(wdv, a0).fma(negLr, p).intoArray(w, k);
        }
    }

    /** bias ← bias − η(Σ_b dOut[b,·] + λ bias), the sum in b order. */
    private static void updateBias(float[] dOut, int batch, int outs, float[] bias, float lr, float wd) {
        final FloatVector wdv = FloatVector.broadcast(F, wd), negLr = FloatVector.broadcast(F, -lr);
        final int bound = F.loopBound(outs);
        int j = 0;
        for (; j < bound; j += LANES) {
            FloatVector g = FloatVector.zero(F);
            for (int b = 0, d = j; b < batch; b++, d += outs) g = g.add(FloatVector.fromArray(F, dOut, d));
            FloatVector p = FloatVector.fromArray(F, bias, j);
            p.fma(wdv, g).fma(negLr, p).intoArray(bias, j);
        }
        for (; j < outs; j++) {
            float g = 0f;
            for (int b = 0; b < batch; b++) g += dOut[b * outs + j];
            bias[j] = ScalarDenseKernels.sgd(bias[j], g, lr, wd);
        }
    }
}
