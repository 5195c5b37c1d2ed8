package bitsgd.kernel.attn;

import bitsgd.kernel.dense.DenseKernels;
import bitsgd.kernel.dense.VectorDenseKernels;
import bitsgd.kernel.mlp.VectorMlpKernels;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API twin of {@link ScalarAttentionKernels}. Loaded only after the provider has checked that the incubator
 * module is present.
 *
 * <pre>
 * linear: VectorDenseKernels' forward (vectors along j, every lane the reference's fma chain over i: bit-identical).
 * linearBackward: gW blocks of 4 rows i × 2 vectors of j, chains over r; gBias adds in r order; dIn = dOut·Wᵀ is
 *   linear on the transposed weights (written into scratch), the reference's chain over j again.
 * attention, per (sample, head), vectors along the queries t (seq padded with zero lanes to a whole vector):
 *   Qᵀ[c][t] gathered; S[s][t..] = (Σ_c K[s,c]·Qᵀ[c][t..])·scale; the softmax over s is then lanewise
 *   (max, Exp.exp's steps on lanes, the sum in s order, a divide); Oᵀ[c][t..] = Σ_s P[s][t..]·V[s,c]; scattered back.
 * attentionBackward, per (sample, head): dP[s][t..] = Σ_c V[s,c]·dOᵀ[c][t..], the row dot and dS lanewise,
 *   dQᵀ[c][t..] = (Σ_s dS[s][t..]·K[s,c])·scale; then P and dS transposed so that dK and dV run along the keys s:
 *   dKᵀ[c][s..] = (Σ_t dSᵀ[t][s..]·Q[t,c])·scale, dVᵀ[c][s..] = Σ_t Pᵀ[t][s..]·dO[t,c].
 * </pre>
 * Every sum is the reference's fma chain in the reference's order and the exp is the reference's, so everything is
 * bit-identical to the scalar reference. No reductions across lanes, no masks in loops:
 * padding lanes hold zeros and are never copied out.
 */
public final class VectorAttentionKernels implements AttentionKernels {

    static final VectorSpecies<Float> F = VectorMlpKernels.species();
    static final int LANES = F.length();
    private static final DenseKernels DENSE = VectorDenseKernels.create();

    private VectorAttentionKernels() {}

    public static AttentionKernels create() {
        return new VectorAttentionKernels();
    }

    @Override
    public String name() {
        return "vector-" + F.vectorBitSize();
    }

    static int padded(int seq) {
        return (seq + LANES - 1) / LANES * LANES;
    }

    @Override
    public int scratchSize(int seq, int width, int heads, int maxIns, int maxOuts) {
        int tp = padded(seq), d = width / heads;
        return Math.max(maxIns * maxOuts, 3 * seq * tp + 2 * tp * tp + 4 * d * tp);
    }

    // ---------------------------------------------------------------- linear

    /** The dense family's forward: the same sum (bias or +0, then the fma chain in i order), in its tuned blocks. */
    @Override
    public void linear(float[] in, int rows, int ins, float[] w, float[] bias, int outs, float[] out) {
        AttentionKernels.checkLinear(rows, ins, outs, in.length, w.length, out.length);
        DENSE.forward(in, rows, ins, w, bias, outs, out);
    }

    @Override
    public void linearBackward(float[] in, float[] dOut, int rows, int ins, int outs, float[] w, float[] dIn, float[] gW,
            float[] gBias, float[] scratch) {
        AttentionKernels.checkLinear(rows, ins, outs, in.length, w.length, dOut.length);
        if (dIn != null) {
            if (scratch.length < ins * outs) throw new IllegalArgumentException("scratch " + scratch.length + " < " + ins + "×" + outs);
            DenseKernels.transpose(w, ins, outs, scratch);
            linear(dOut, rows, outs, scratch, null, ins, dIn);
        }
        final int bound = F.loopBound(outs);
        int j = 0;
        for (; j + 2 * LANES <= bound; j += 2 * LANES) {
            gradBlock2(in, dOut, rows, ins, outs, gW, j);
            gradBias(dOut, rows, outs, gBias, j);
            gradBias(dOut, rows, outs, gBias, j + LANES);
        }
        for (; j < bound; j += LANES) {
            gradBlock(in, dOut, rows, ins, outs, gW, j);
            gradBias(dOut, rows, outs, gBias, j);
        }
        for (j = bound; j < outs; j++) {
            for (int i = 0; i < ins; i++) {
                float acc = 0f;
                for (int r = 0; r < rows; r++) acc = Math.fma(in[r * ins + i], dOut[r * outs + j], acc);
                gW[i * outs + j] += acc;
            }
            if (gBias != null) {
                float acc = 0f;
                for (int r = 0; r < rows; r++) acc += dOut[r * outs + j];
                gBias[j] += acc;
            }
        }
    }

    /**
     * gW rows i..i+3 × columns j..j+2·LANES−1 per block (chains over r): 8 independent fma chains, one broadcast per
     * 2 fmas (the layout of the dense forward's blocks).
     */
    private static void gradBlock2(float[] in, float[] dOut, int rows, int ins, int outs, float[] gW, int j) {
        int i = 0;
        for (; i + 4 <= ins; i += 4) {
            FloatVector g0 = FloatVector.zero(F), g1 = g0, g2 = g0, g3 = g0, h0 = g0, h1 = g0, h2 = g0, h3 = g0;
            for (int r = 0, ri = i, d = j; r < rows; r++, ri += ins, d += outs) {
                FloatVector dv = FloatVector.fromArray(F, dOut, d), du = FloatVector.fromArray(F, dOut, d + LANES);
                FloatVector x0 = FloatVector.broadcast(F, in[ri]), x1 = FloatVector.broadcast(F, in[ri + 1]);
                FloatVector x2 = FloatVector.broadcast(F, in[ri + 2]), x3 = FloatVector.broadcast(F, in[ri + 3]);
                g0 = x0.fma(dv, g0);
                h0 = x0.fma(du, h0);
                g1 = x1.fma(dv, g1);
                h1 = x1.fma(du, h1);
                g2 = x2.fma(dv, g2);
                h2 = x2.fma(du, h2);
                g3 = x3.fma(dv, g3);
                h3 = x3.fma(du, h3);
            }
            int o = i * outs + j;
            FloatVector.fromArray(F, gW, o).add(g0).intoArray(gW, o);
            FloatVector.fromArray(F, gW, o + LANES).add(h0).intoArray(gW, o + LANES);
            FloatVector.fromArray(F, gW, o + outs).add(g1).intoArray(gW, o + outs);
            FloatVector.fromArray(F, gW, o + outs + LANES).add(h1).intoArray(gW, o + outs + LANES);
            FloatVector.fromArray(F, gW, o + 2 * outs).add(g2).intoArray(gW, o + 2 * outs);
            FloatVector.fromArray(F, gW, o + 2 * outs + LANES).add(h2).intoArray(gW, o + 2 * outs + LANES);
            FloatVector.fromArray(F, gW, o + 3 * outs).add(g3).intoArray(gW, o + 3 * outs);
            FloatVector.fromArray(F, gW, o + 3 * outs + LANES).add(h3).intoArray(gW, o + 3 * outs + LANES);
        }
        for (; i < ins; i++) {
            FloatVector g0 = FloatVector.zero(F), h0 = g0;
            for (int r = 0, ri = i, d = j; r < rows; r++, ri += ins, d += outs) {
                FloatVector x = FloatVector.broadcast(F, in[ri]);
                g0 = x.fma(FloatVector.fromArray(F, dOut, d), g0);
                h0 = x.fma(FloatVector.fromArray(F, dOut, d + LANES), h0);
            }
            int o = i * outs + j;
            FloatVector.fromArray(F, gW, o).add(g0).intoArray(gW, o);
            FloatVector.fromArray(F, gW, o + LANES).add(h0).intoArray(gW, o + LANES);
        }
    }

    /** gW rows i..i+3 × columns j..j+LANES−1 per block (chains over r). */
    private static void gradBlock(float[] in, float[] dOut, int rows, int ins, int outs, float[] gW, int j) {
        int i = 0;
        for (; i + 4 <= ins; i += 4) {
            FloatVector g0 = FloatVector.zero(F), g1 = g0, g2 = g0, g3 = g0;
            for (int r = 0, ri = i, d = j; r < rows; r++, ri += ins, d += outs) {
                FloatVector dv = FloatVector.fromArray(F, dOut, d);
                g0 = FloatVector.broadcast(F, in[ri]).fma(dv, g0);
                g1 = FloatVector.broadcast(F, in[ri + 1]).fma(dv, g1);
                g2 = FloatVector.broadcast(F, in[ri + 2]).fma(dv, g2);
                g3 = FloatVector.broadcast(F, in[ri + 3]).fma(dv, g3);
            }
            int o = i * outs + j;
            FloatVector.fromArray(F, gW, o).add(g0).intoArray(gW, o);
            FloatVector.fromArray(F, gW, o + outs).add(g1).intoArray(gW, o + outs);
            FloatVector.fromArray(F, gW, o + 2 * outs).add(g2).intoArray(gW, o + 2 * outs);
            FloatVector.fromArray(F, gW, o + 3 * outs).add(g3).intoArray(gW, o + 3 * outs);
        }
        for (; i < ins; i++) {
            FloatVector g0 = FloatVector.zero(F);
            for (int r = 0, ri = i, d = j; r < rows; r++, ri += ins, d += outs) {
                g0 = FloatVector.broadcast(F, in[ri]).fma(FloatVector.fromArray(F, dOut, d), g0);
            }
            int o = i * outs + j;
            FloatVector.fromArray(F, gW, o).add(g0).intoArray(gW, o);
        }
    }

    /** gBias of columns j..j+LANES−1 (unless null): the adds in r order. */
    private static void gradBias(float[] dOut, int rows, int outs, float[] gBias, int j) {
        if (gBias == null) return;
        FloatVector acc = FloatVector.zero(F);
        for (int r = 0, d = j; r < rows; r++, d += outs) acc = acc.add(FloatVector.fromArray(F, dOut, d));
        FloatVector.fromArray(F, gBias, j).add(acc).intoArray(gBias, j);
    }

    // ---------------------------------------------------------------- ReLU

    /** A blend, not a branch: pre's sign is a coin flip per entry, and the scalar loop's branch mispredicts half the time. */
    @Override
    public void reluBackward(float[] pre, float[] d, int count) {
        if (pre.length < count || d.length < count) throw new IllegalArgumentException("arrays shorter than " + count);
        final FloatVector zero = FloatVector.zero(F);
        final int bound = F.loopBound(count);
        int q = 0;
        for (; q < bound; q += LANES) {
            FloatVector.fromArray(F, d, q).blend(zero, FloatVector.fromArray(F, pre, q).compare(VectorOperators.LE, 0f)).intoArray(d, q);
        }
        for (; q < count; q++) if (pre[q] <= 0f) d[q] = 0f;
    }

    // ---------------------------------------------------------------- attention

    /**
     * P[s][t0..] = exp(S[s][t0..] − max) / Σ_s' exp(S[s'][t0..] − max), in place at x[sp + s·tp], max at x[mx]: the
     * sum in s order, the exp {@link Exp#exp}'s operations on every lane in the same order (the same bits as the
     * reference), written out here with its constants broadcast once.
     */
    private static void softmax(float[] x, int sp, int seq, int tp, int t0, int mx) {
        final FloatVector max = FloatVector.fromArray(F, x, mx);
        final FloatVector ln2Hi = FloatVector.broadcast(F, Exp.LN2_HI), ln2Lo = FloatVector.broadcast(F, Exp.LN2_LO);
        final FloatVector c2 = FloatVector.broadcast(F, Exp.C2), c3 = FloatVector.broadcast(F, Exp.C3), c4 = FloatVector.broadcast(F, Exp.C4);
        final FloatVector c5 = FloatVector.broadcast(F, Exp.C5), c6 = FloatVector.broadcast(F, Exp.C6), c7 = FloatVector.broadcast(F, Exp.C7);
        final FloatVector one = FloatVector.broadcast(F, 1f);
        FloatVector sum = FloatVector.zero(F);
        for (int s = 0; s < seq; s++) {
            final int at = sp + s * tp + t0;
            FloatVector v = FloatVector.fromArray(F, x, at).sub(max).max(Exp.MIN).min(Exp.MAX);
            FloatVector k = v.mul(Exp.LOG2E).add(Exp.ROUND).sub(Exp.ROUND);
            FloatVector negK = k.neg();
            FloatVector r = negK.fma(ln2Hi, v);
            r = negK.fma(ln2Lo, r);
            FloatVector p = c7.fma(r, c6);
            p = p.fma(r, c5);
            p = p.fma(r, c4);
            p = p.fma(r, c3);
            p = p.fma(r, c2);
            p = p.fma(r, one);
            p = p.fma(r, one);
            IntVector bits = ((IntVector) k.convert(VectorOperators.F2I, 0)).add(127).lanewise(VectorOperators.LSHL, 23);
            FloatVector e = p.mul(bits.reinterpretAsFloats());
            e.intoArray(x, at);
            sum = sum.add(e);
        }
        for (int s = 0; s < seq; s++) {
            final int at = sp + s * tp + t0;
            FloatVector.fromArray(F, x, at).div(sum).intoArray(x, at);
        }
    }

    @Override
    public void attention(float[] qkv, int batch, int seq, int width, int heads, float[] probs, float[] out, float[] scratch) {
        AttentionKernels.checkAttention(batch, seq, width, heads, qkv.length, probs.length, out.length);
        final int tp = padded(seq), d = width / heads;
        if (scratch.length < scratchSize(seq, width, heads, 0, 0)) throw new IllegalArgumentException("scratch too short");
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) attentionHead(qkv, seq, width, d, tp, b, h, heads, probs, out, scratch);
        }
    }

    /** One (sample, head): scratch = Qᵀ [d × tp] | S, then P [seq × tp] | Oᵀ [d × tp] | the scores' max [LANES]. */
    private static void attentionHead(float[] qkv, int seq, int width, int d, int tp, int b, int h, int heads, float[] probs,
            float[] out, float[] scratch) {
        final int stride = 3 * width, row0 = b * seq, q0 = h * d, k0 = width + h * d, v0 = 2 * width + h * d;
        final int qt = 0, sp = d * tp, ot = sp + seq * tp, mx = ot + d * tp, p0 = (b * heads + h) * seq * seq;
        final float scale = (float) (1.0 / Math.sqrt(d));
        for (int c = 0; c < d; c++) {
            int o = qt + c * tp;
            for (int t = 0; t < seq; t++) scratch[o + t] = qkv[(row0 + t) * stride + q0 + c];
            for (int t = seq; t < tp; t++) scratch[o + t] = 0f;
        }
        for (int t0 = 0; t0 < tp; t0 += LANES) {
            scores(qkv, seq, stride, row0, k0, d, tp, t0, scale, scratch, qt, sp, mx);
            softmax(scratch, sp, seq, tp, t0, mx);
            weighted(scratch, sp, seq, tp, t0, qkv, row0, stride, v0, d, scratch, ot);
        }
        for (int s = 0; s < seq; s++) System.arraycopy(scratch, sp + s * tp, probs, p0 + s * seq, seq);
        for (int t = 0; t < seq; t++) {
            int o = (row0 + t) * width + q0;
            for (int c = 0; c < d; c++) out[o + c] = scratch[ot + c * tp + t];
        }
    }

    /*
     * The blocks below run four independent fma chains at once (four keys, or four columns c), where one chain at a
     * time left the core waiting on each fma's latency and reloaded the shared operand per chain. Every lane's chain
     * keeps the reference's order, so the bits do not change. Only arrays and ints cross these calls.
     */

    /**
     * dst[s][t0..] = Σ_c m[(row0 + s)·stride + m0 + c]·src[c][t0..] for every key s (src rows at x[src + c·tp], dst rows
     * at x[dst + s·tp]), four keys at a time. The forward's scores before the scale (m = K, src = Qᵀ) and the
     * backward's dP (m = V, src = dOᵀ).
     */
    private static void keyDots(float[] m, int seq, int stride, int row0, int m0, int d, int tp, int t0, float[] x, int src, int dst) {
        int s = 0;
        for (; s + 4 <= seq; s += 4) {
            final int ka = (row0 + s) * stride + m0, kb = ka + stride, kc = kb + stride, kd = kc + stride;
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
            for (int c = 0; c < d; c++) {
                FloatVector q = FloatVector.fromArray(F, x, src + c * tp + t0);
                a0 = FloatVector.broadcast(F, m[ka + c]).fma(q, a0);
                a1 = FloatVector.broadcast(F, m[kb + c]).fma(q, a1);
                a2 = FloatVector.broadcast(F, m[kc + c]).fma(q, a2);
                a3 = FloatVector.broadcast(F, m[kd + c]).fma(q, a3);
            }
            a0.intoArray(x, dst + s * tp + t0);
            a1.intoArray(x, dst + (s + 1) * tp + t0);
            a2.intoArray(x, dst + (s + 2) * tp + t0);
            a3.intoArray(x, dst + (s + 3) * tp + t0);
        }
        for (; s < seq; s++) {
            final int ks = (row0 + s) * stride + m0;
            FloatVector acc = FloatVector.zero(F);
            for (int c = 0; c < d; c++) acc = FloatVector.broadcast(F, m[ks + c]).fma(FloatVector.fromArray(F, x, src + c * tp + t0), acc);
            acc.intoArray(x, dst + s * tp + t0);
        }
    }

    /** S[s][t0..] = (Σ_c K[s,c]·Qᵀ[c][t0..])·scale for every key s (at sp + s·tp), and their lanewise max (in s order) at mx. */
    private static void scores(float[] qkv, int seq, int stride, int row0, int k0, int d, int tp, int t0, float scale,
            float[] x, int qt, int sp, int mx) {
        keyDots(qkv, seq, stride, row0, k0, d, tp, t0, x, qt, sp);
        FloatVector max = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        for (int s = 0; s < seq; s++) {
            FloatVector v = FloatVector.fromArray(F, x, sp + s * tp + t0).mul(scale);
            v.intoArray(x, sp + s * tp + t0);
            max = max.max(v);
        }
        max.intoArray(x, mx);
    }

    /**
     * outᵀ[c][t0..] = Σ_s rows[s][t0..]·m[(row0 + s)·stride + m0 + c] for c &lt; d: rows at x[at + s·tp], out at
     * o[ot + c·tp]. The forward's Oᵀ = Σ_s P[s]·V[s,c] and the backward's dQᵀ = Σ_s dS[s]·K[s,c] (before the scale).
     */
    private static void weighted(float[] x, int at, int seq, int tp, int t0, float[] m, int row0, int stride, int m0, int d,
            float[] o, int ot) {
        int c = 0;
        for (; c + 4 <= d; c += 4) {
            FloatVector o0 = FloatVector.zero(F), o1 = o0, o2 = o0, o3 = o0;
            for (int s = 0; s < seq; s++) {
                FloatVector p = FloatVector.fromArray(F, x, at + s * tp + t0);
                final int ms = (row0 + s) * stride + m0 + c;
                o0 = p.fma(FloatVector.broadcast(F, m[ms]), o0);
                o1 = p.fma(FloatVector.broadcast(F, m[ms + 1]), o1);
                o2 = p.fma(FloatVector.broadcast(F, m[ms + 2]), o2);
                o3 = p.fma(FloatVector.broadcast(F, m[ms + 3]), o3);
            }
            o0.intoArray(o, ot + c * tp + t0);
            o1.intoArray(o, ot + (c + 1) * tp + t0);
            o2.intoArray(o, ot + (c + 2) * tp + t0);
            o3.intoArray(o, ot + (c + 3) * tp + t0);
        }
        for (; c < d; c++) {
            FloatVector acc = FloatVector.zero(F);
            for (int s = 0; s < seq; s++) {
                acc = FloatVector.fromArray(F, x, at + s * tp + t0).fma(FloatVector.broadcast(F, m[(row0 + s) * stride + m0 + c]), acc);
            }
            acc.intoArray(o, ot + c * tp + t0);
        }
    }

    @Override
    public void attentionBackward(float[] qkv, float[] probs, float[] dOut, int batch, int seq, int width, int heads, float[] dQkv,
            float[] scratch) {
        AttentionKernels.checkAttention(batch, seq, width, heads, qkv.length, probs.length, dOut.length);
        if (dQkv.length < (long) batch * seq * 3 * width) throw new IllegalArgumentException("dQkv array too short");
        final int tp = padded(seq), d = width / heads;
        if (scratch.length < scratchSize(seq, width, heads, 0, 0)) throw new IllegalArgumentException("scratch too short");
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) backwardHead(qkv, probs, dOut, seq, width, d, tp, b, h, heads, dQkv, scratch);
        }
    }

    /**
     * Per key s: dP[s][t0..] = Σ_c V[s,c]·dOᵀ[c][t0..] (at dp); the row dot Σ_s P[s]·dP[s] in s order; then
     * dS[s] = P[s]·(dP[s] − row dot) (at ds).
     */
    private static void scoreGradients(float[] qkv, int seq, int stride, int row0, int v0, int d, int tp, int t0, float[] x,
            int dot, int pp, int dp, int ds) {
        keyDots(qkv, seq, stride, row0, v0, d, tp, t0, x, dot, dp);
        FloatVector rowDot = FloatVector.zero(F);
        for (int s = 0; s < seq; s++) {
            rowDot = FloatVector.fromArray(F, x, pp + s * tp + t0).fma(FloatVector.fromArray(F, x, dp + s * tp + t0), rowDot);
        }
        for (int s = 0; s < seq; s++) {
            FloatVector p = FloatVector.fromArray(F, x, pp + s * tp + t0);
            p.mul(FloatVector.fromArray(F, x, dp + s * tp + t0).sub(rowDot)).intoArray(x, ds + s * tp + t0);
        }
    }

    /**
     * One (sample, head). Scratch: P [seq × tp] | dP [seq × tp] | dS [seq × tp] | Pᵀ [tp × tp] | dSᵀ [tp × tp] |
     * dOᵀ [d × tp] | dQᵀ [d × tp] | dKᵀ [d × tp] | dVᵀ [d × tp].
     */
    private static void backwardHead(float[] qkv, float[] probs, float[] dOut, int seq, int width, int d, int tp, int b, int h,
            int heads, float[] dQkv, float[] x) {
        final int stride = 3 * width, row0 = b * seq, q0 = h * d, k0 = width + h * d, v0 = 2 * width + h * d;
        final int pp = 0, dp = seq * tp, ds = 2 * seq * tp, pt = 3 * seq * tp, dst = pt + tp * tp, dot = dst + tp * tp;
        final int dqt = dot + d * tp, dkt = dqt + d * tp, dvt = dkt + d * tp, p0 = (b * heads + h) * seq * seq;
        final float scale = (float) (1.0 / Math.sqrt(d));
        for (int s = 0; s < seq; s++) {
            System.arraycopy(probs, p0 + s * seq, x, pp + s * tp, seq);
            for (int t = seq; t < tp; t++) x[pp + s * tp + t] = 0f;
        }
        for (int c = 0; c < d; c++) {
            for (int t = 0; t < seq; t++) x[dot + c * tp + t] = dOut[(row0 + t) * width + q0 + c];
            for (int t = seq; t < tp; t++) x[dot + c * tp + t] = 0f;
        }
        for (int t0 = 0; t0 < tp; t0 += LANES) {
            scoreGradients(qkv, seq, stride, row0, v0, d, tp, t0, x, dot, pp, dp, ds);
            weighted(x, ds, seq, tp, t0, qkv, row0, stride, k0, d, x, dqt);
            for (int c = 0; c < d; c++) FloatVector.fromArray(F, x, dqt + c * tp + t0).mul(scale).intoArray(x, dqt + c * tp + t0);
        }
        // Pᵀ and dSᵀ [t][s], zero past seq along s, so that dK and dV run along the keys
        for (int t = 0; t < seq; t++) {
            for (int s = 0; s < seq; s++) {
                x[pt + t * tp + s] = x[pp + s * tp + t];
                x[dst + t * tp + s] = x[ds + s * tp + t];
            }
            for (int s = seq; s < tp; s++) {
                x[pt + t * tp + s] = 0f;
                x[dst + t * tp + s] = 0f;
            }
        }
        for (int s0 = 0; s0 < tp; s0 += LANES) {
            // dKᵀ = (Σ_t dSᵀ[t]·Q[t,c])·scale and dVᵀ = Σ_t Pᵀ[t]·dO[t,c], the same blocks as the forward's Oᵀ
            weighted(x, dst, seq, tp, s0, qkv, row0, stride, q0, d, x, dkt);
            weighted(x, pt, seq, tp, s0, dOut, row0, width, q0, d, x, dvt);
            for (int c = 0; c < d; c++) FloatVector.fromArray(F, x, dkt + c * tp + s0).mul(scale).intoArray(x, dkt + c * tp + s0);
        }
        for (int t = 0; t < seq; t++) {
            int o = (row0 + t) * stride;
            for (int c = 0; c < d; c++) {
                dQkv[o + q0 + c] = x[dqt + c * tp + t];
                dQkv[o + k0 + c] = x[dkt + c * tp + t];
                dQkv[o + v0 + c] = x[dvt + c * tp + t];
            }
        }
    }
}
