package bitsgd.kernel.mlp;

import bitsgd.kernel.bits.BitBatch;
import java.util.Arrays;

/**
 * The algorithm of {@link VectorMlpKernels} in plain Java: the same float operations on every hidden unit, in the
 * same order, so for the same lane count both return the same bits (tested). It exists for the first second
 * of a process: the Vector API code is slow until C2 has compiled it (every vector is an object before then),
 * while these loops are fast under C1 and compile in milliseconds. {@link HandoverMlpKernels} runs this twin
 * until the vector code is compiled, then the vector code, and a run cannot tell which did which step.
 *
 * <p>Why the results match: in the vector kernels every operation is lane-wise (hidden unit j in lane j mod
 * LANES) except the output sum f_b = c + Σ_j a_j σ(z_bj), which they accumulate per lane, block after block
 * in increasing j, and reduce by a fixed butterfly. So per hidden unit the twin does exactly the vector code's
 * sequence (table entries, lookups summed from 0 in group order, fma(acc, −2, b + ΣW), the δ blend, the two
 * fused updates), per lane of f it keeps the same partial sums in the same order, and it ends with the same
 * butterfly. Padding (inputs past n, samples past B) is fed through as the same +0 rows. Blocking is free:
 * the twin walks the hidden units in blocks of {@code cb} (a multiple of LANES, sized so the tables stay in
 * L2) with the units as the inner loop, which C2 turns into SIMD loops on its own.
 *
 * <pre>
 * tables of one block, cb floats per entry (entry 0 = +0, never written):
 *   tab[((group·16) + p)·cb + u] = Σ_{r ∈ p} row_{4·group+r}[jb + u]      p = 1..15, u = 0..cb−1
 * </pre>
 */
public final class TwinMlpKernels implements MlpKernels {
    /** Table entries per 4-bit group. */
    private static final int ENTRIES = 16;
    /** Largest table footprint per block: the tables of one block stay in L2 while every sample reads them. */
    private static final int TABLE_BYTES = 256 * 1024;

    private final int lanes;

    /** The twin of the vector kernels at {@code lanes} float lanes (their species length). */
    public TwinMlpKernels(int lanes) {
        if (lanes < 1 || Integer.bitCount(lanes) != 1 || lanes > 16) {
            throw new IllegalArgumentException("lanes must be 1, 2, 4, 8 or 16, got " + lanes);
        }
        this.lanes = lanes;
    }

    public int lanes() {
        return lanes;
    }

    @Override
    public String name() {
        return "twin-" + 32 * lanes;
    }

    static final class Scratch implements Workspace {
        final int n, h, maxBatch, lanes, cb, blocks, inGroups, maxSampleGroups;
        final float[] f, g, fpart, lane;
        /** Table rows, cb floats each: row gi·16 + p is entry p of table gi; entry 0 of every table is one shared +0 row. */
        final float[][] tab;
        /** Pre-activations: row blk·B4 + b holds z of sample b for the units of block blk (B4 = maxBatch rounded up to 4). */
        float[][] z;
        /** Block copies (index u = unit jb + u): why every hot loop here indexes all its arrays alike, see the class doc. */
        final float[] acc, sums, bias, a, gradA, gradB, row, zeros;
        /** Table rows to read: rowNib[b·inGroups + gi] = gi·16 + nibble, colNib[i·q + qi] = qi·16 + nibble. */
        final int[] rowNib, colNib;

        Scratch(int n, int h, int maxBatch, int lanes) {
            if (n < 1 || h < 1 || maxBatch < 1) throw new IllegalArgumentException("n, h and maxBatch must be >= 1");
            this.n = n;
            this.h = h;
            this.maxBatch = maxBatch;
            this.lanes = lanes;
            this.inGroups = (n + 3) >>> 2;
            this.maxSampleGroups = (maxBatch + 3) >>> 2;
            int tables = Math.max(inGroups, maxSampleGroups);
            int fit = Math.max(lanes, TABLE_BYTES / (4 * ENTRIES * tables) / lanes * lanes);
            this.cb = Math.min(fit, (h + lanes - 1) / lanes * lanes);
            this.blocks = (h + cb - 1) / cb;
            this.f = new float[maxBatch];
            this.g = new float[(maxBatch + 3) & ~3];
            this.fpart = new float[Math.multiplyExact(maxBatch, lanes)];
            this.lane = new float[2 * lanes];
            this.zeros = new float[cb];
            this.tab = new float[Math.multiplyExact(tables, ENTRIES)][];
            for (int r = 0; r < tab.length; r++) tab[r] = r % ENTRIES == 0 ? zeros : new float[cb];
            this.acc = new float[cb];
            this.sums = new float[cb];
            this.bias = new float[cb];
            this.a = new float[cb];
            this.gradA = new float[cb];
            this.gradB = new float[cb];
            this.row = new float[cb];
            this.rowNib = new int[Math.multiplyExact(maxBatch, inGroups)];
            this.colNib = new int[Math.multiplyExact(n, maxSampleGroups)];
        }

        float[][] z() {
            if (z == null) {
                int b4 = (maxBatch + 3) & ~3;
                z = new float[Math.multiplyExact(blocks, b4)][cb];
            }
            return z;
        }

        int b4() {
            return (maxBatch + 3) & ~3;
        }
    }

    @Override
    public Workspace workspace(int n, int h, int maxBatch) {
        return new Scratch(n, h, maxBatch, lanes);
    }

    @Override
    public void forward(Mlp2 net, BitBatch x, float[] f, Workspace ws) {
        Scratch s = check(net, x, ws);
        rowNibbles(x, s);
        forwardPass(net, x.size(), s, false, f);
    }

    @Override
    public float step(Mlp2 net, BitBatch x, float[] y, Loss loss, float lr1, float lr2, float weightDecay, Workspace ws) {
        Scratch s = check(net, x, ws);
        int batch = x.size();
        float[] f = s.f, g = s.g;
        rowNibbles(x, s);
        forwardPass(net, batch, s, true, f);

        // the vector kernels' loss loop, verbatim
        float lossSum = 0f, gc = 0f;
        for (int b = 0; b < batch; b++) {
            lossSum += loss.value(y[b], f[b]);
            g[b] = loss.derivative(y[b], f[b]) / batch;
            gc += g[b];
        }
        colNibbles(x, s);
        backwardPass(net, batch, s, lr1, lr2, weightDecay);
        net.c = net.c - lr2 * (gc + weightDecay * net.c);
        return lossSum / batch;
    }

    /**
     * The mean loss and ∂L/∂θ without weight decay into {@code grad} ({@link Mlp2}'s order: W input-major, b, a, c); the
     * net is unchanged. The step's own passes with the updates left out, so every gradient entry has the bits of the one
     * the vector kernels' step applies (the twin's and theirs agree bit for bit): θ − η·grad is their SGD step with
     * λ = 0 up to the rounding of its last fma. Runs on one thread.
     */
    public float gradient(Mlp2 net, BitBatch x, float[] y, Loss loss, float[] grad, Workspace ws) {
        Scratch s = check(net, x, ws);
        if (grad.length < net.parameterCount()) throw new IllegalArgumentException("gradient array " + grad.length + " < " + net.parameterCount());
        int batch = x.size();
        float[] f = s.f, g = s.g;
        rowNibbles(x, s);
        forwardPass(net, batch, s, true, f);
        float lossSum = 0f, gc = 0f;
        for (int b = 0; b < batch; b++) {
            lossSum += loss.value(y[b], f[b]);
            g[b] = loss.derivative(y[b], f[b]) / batch;
            gc += g[b];
        }
        colNibbles(x, s);
        gradientPass(net, batch, s, grad);
        grad[(int) net.parameterCount() - 1] = gc;
        return lossSum / batch;
    }

    // ---------------------------------------------------------------- nibble indices

    /** Table rows of the 4-bit input groups of every sample (groups never straddle a word: 64 % 4 == 0). */
    private static void rowNibbles(BitBatch x, Scratch s) {
        long[] rows = x.rows();
        int words = x.words(), groups = s.inGroups, batch = x.size();
        int[] nib = s.rowNib;
        for (int b = 0; b < batch; b++) {
            int out = b * groups;
            for (int w = 0; w < words; w++) {
                long word = rows[b * words + w];
                for (int gi = w * 16, end = Math.min(groups, gi + 16); gi < end; gi++, word >>>= 4) {
                    nib[out + gi] = gi * ENTRIES + ((int) word & 15);
                }
            }
        }
    }

    /** Table rows of the 4-sample groups of every input column; samples past the batch count as zero bits. */
    private static void colNibbles(BitBatch x, Scratch s) {
        long[] rows = x.rows();
        int words = x.words(), n = s.n, batch = x.size(), q = (batch + 3) >>> 2;
        int[] nib = s.colNib;
        for (int qi = 0; qi < q; qi++) {
            int b0 = qi << 2;
            for (int i = 0; i < n; i++) {
                int w = i >>> 6, bit = i & 63, p = 0;
                for (int r = 0; r < 4 && b0 + r < batch; r++) p |= (int) (rows[(b0 + r) * words + w] >>> bit & 1L) << r;
                nib[i * q + qi] = qi * ENTRIES + p;
            }
        }
    }

    /**
     * acc ← 0 + Σ_k tab[idx[k]] for k = from..from+count−1, added in that order (the vector kernels' accumulation),
     * four rows per pass so the accumulator is read and written once per four adds.
     */
    private static void lookups(float[] acc, float[][] tab, int[] idx, int from, int count, int width) {
        Arrays.fill(acc, 0, width, 0f);
        int k = from, end = from + count;
        for (; k + 4 <= end; k += 4) {
            float[] r0 = tab[idx[k]], r1 = tab[idx[k + 1]], r2 = tab[idx[k + 2]], r3 = tab[idx[k + 3]];
            for (int u = 0; u < width; u++) acc[u] = (((acc[u] + r0[u]) + r1[u]) + r2[u]) + r3[u];
        }
        for (; k < end; k++) {
            float[] r0 = tab[idx[k]];
            for (int u = 0; u < width; u++) acc[u] += r0[u];
        }
    }

    // ---------------------------------------------------------------- forward

    /**
     * f (and z, when {@code keepZ}) of the first {@code batch} samples, block by block in increasing j. Forward-only
     * passes (evaluation, up to thousands of samples) reuse one row instead of writing a B×h z they do not need.
     */
    private static void forwardPass(Mlp2 net, int batch, Scratch s, boolean keepZ, float[] f) {
        int h = net.h, cb = s.cb, k = net.activation.degree();   // k = 0: ReLU
        float[][] z = keepZ ? s.z() : null;
        Arrays.fill(s.fpart, 0, batch * s.lanes, 0f);
        for (int blk = 0, jb = 0; jb < h; blk++, jb += cb) {
            int width = Math.min(cb, h - jb);
            inputTables(net, jb, width, s);
            System.arraycopy(net.b, jb, s.bias, 0, width);
            System.arraycopy(net.a, jb, s.a, 0, width);
            float[] base = s.bias, sums = s.sums;
            for (int u = 0; u < width; u++) base[u] = base[u] + sums[u];   // b + ΣW, as the vector kernels add it
            for (int b = 0; b < batch; b++) {
                float[] zr = keepZ ? z[blk * s.b4() + b] : s.acc;
                lookups(zr, s.tab, s.rowNib, b * s.inGroups, s.inGroups, width);
                for (int u = 0; u < width; u++) zr[u] = Math.fma(zr[u], -2f, base[u]);
                outputPartials(zr, s.a, width, s.fpart, b * s.lanes, s.lanes, k);
            }
        }
        laneSums(s, batch, net.c, f);
    }

    /** The 16-entry subset-sum tables of every input group for hidden units jb..jb+width−1; Σ_i W_i into sums. */
    private static void inputTables(Mlp2 net, int jb, int width, Scratch s) {
        final int n = net.n, h = net.h;
        final float[][] tab = s.tab;
        Arrays.fill(s.sums, 0, width, 0f);
        for (int gi = 0; gi < s.inGroups; gi++) {
            int i = gi << 2, t = gi * ENTRIES;
            // rows 4gi..4gi+3 of W are entries 1, 2, 4, 8; inputs past n are +0 rows, as the vector kernels' ZEROS row
            for (int r = 0; r < 4; r++) {
                float[] e = tab[t + (1 << r)];
                if (i + r < n) System.arraycopy(net.w, (i + r) * h + jb, e, 0, width);
                else Arrays.fill(e, 0, width, 0f);
            }
            table16(tab, t, s.sums, width);
        }
    }

    /**
     * Entries 3, 5, 6, 7, 9..15 of table t from its entries 1, 2, 4, 8 (the rows x0..x3): each one add of a row to an
     * entry with fewer bits, in the vector kernels' order; e15 = x0+x1+x2+x3 is also added to total. Several short
     * loops: C2 vectorizes a loop only when its body is small enough to unroll.
     */
    private static void table16(float[][] tab, int t, float[] total, int width) {
        float[] e1 = tab[t + 1], e2 = tab[t + 2], e3 = tab[t + 3], e4 = tab[t + 4], e5 = tab[t + 5], e6 = tab[t + 6];
        float[] e7 = tab[t + 7], e8 = tab[t + 8], e9 = tab[t + 9], e10 = tab[t + 10], e11 = tab[t + 11], e12 = tab[t + 12];
        float[] e13 = tab[t + 13], e14 = tab[t + 14], e15 = tab[t + 15];
        for (int u = 0; u < width; u++) {
            float s3 = e1[u] + e2[u];
            e3[u] = s3;
            e5[u] = e1[u] + e4[u];
            e6[u] = e2[u] + e4[u];
            e7[u] = s3 + e4[u];
        }
        for (int u = 0; u < width; u++) {
            float v3 = e8[u];
            e9[u] = e1[u] + v3;
            e10[u] = e2[u] + v3;
            e11[u] = e3[u] + v3;
            e12[u] = e4[u] + v3;
        }
        for (int u = 0; u < width; u++) {
            float v3 = e8[u], s15 = e7[u] + v3;
            e13[u] = e5[u] + v3;
            e14[u] = e6[u] + v3;
            e15[u] = s15;
            total[u] += s15;
        }
    }

    /** fpart[p + l] += a·σ(z) for units in blocks of LANES, block after block: the vector kernels' per-lane partial sums. */
    private static void outputPartials(float[] z, float[] a, int width, float[] fpart, int p, int lanes, int k) {
        for (int u0 = 0; u0 < width; u0 += lanes) {
            int m = Math.min(lanes, width - u0);
            if (k == 0) {
                for (int l = 0; l < m; l++) fpart[p + l] = Math.fma(Math.max(z[u0 + l], 0f), a[u0 + l], fpart[p + l]);
            } else {
                for (int l = 0; l < m; l++) {
                    float zz = z[u0 + l];
                    fpart[p + l] = Math.fma(powM1(zz, k) * zz, a[u0 + l], fpart[p + l]);
                }
            }
        }
    }

    /** f_b = c + the LANES partials of sample b, summed by the vector kernels' butterfly (pairs 8, 4, 2, 1 apart). */
    private static void laneSums(Scratch s, int batch, float c, float[] f) {
        final int lanes = s.lanes;
        final float[] v = s.lane, fpart = s.fpart;
        for (int b = 0; b < batch; b++) {
            System.arraycopy(fpart, b * lanes, v, 0, lanes);
            for (int d = lanes >>> 1; d >= 1; d >>>= 1) {
                for (int l = 0; l < lanes; l++) v[lanes + l] = v[l] + v[l ^ d];
                System.arraycopy(v, lanes, v, 0, lanes);
            }
            f[b] = c + v[0];
        }
    }

    /** z^{k−1} as 1·z·…·z, left to right (the vector kernels' powM1). */
    private static float powM1(float z, int k) {
        float p = 1f;
        for (int i = 1; i < k; i++) p *= z;
        return p;
    }

    // ---------------------------------------------------------------- backward + update

    /** Zeroes g and the z rows of the samples past the batch up to a multiple of 4 (the backward reads whole groups). */
    private static void padSamples(int batch, Scratch s, int q, int b4) {
        final float[][] z = s.z();
        for (int b = batch; b < (q << 2); b++) {
            s.g[b] = 0f;
            for (int blk = 0; blk < s.blocks; blk++) Arrays.fill(z[blk * b4 + b], 0f);
        }
    }

    /** Column block blk's δ rows and δ tables, every 4-sample group; ∂a into s.gradA and ∂b into s.gradB from zero. */
    private static void deltaTables(Mlp2 net, Scratch s, int blk, int q, int b4, int width) {
        final float[][] z = s.z();
        Arrays.fill(s.gradA, 0, width, 0f);
        Arrays.fill(s.gradB, 0, width, 0f);
        for (int qi = 0; qi < q; qi++) {
            int r = blk * b4 + (qi << 2);
            int t = qi * ENTRIES;
            float[] x0 = s.tab[t + 1], x1 = s.tab[t + 2], x2 = s.tab[t + 4], x3 = s.tab[t + 8];
            if (net.activation.isRelu()) deltaRows(s, z[r], z[r + 1], z[r + 2], z[r + 3], x0, x1, x2, x3, qi << 2, width);
            else deltaRowsPow(s, z[r], z[r + 1], z[r + 2], z[r + 3], x0, x1, x2, x3, qi << 2, width, net.activation.degree());
            table16(s.tab, t, s.gradB, width);
        }
    }

    private static void backwardPass(Mlp2 net, int batch, Scratch s, float lr1, float lr2, float wd) {
        final int h = net.h, cb = s.cb, q = (batch + 3) >>> 2, b4 = s.b4();
        padSamples(batch, s, q, b4);
        for (int blk = 0, jb = 0; jb < h; blk++, jb += cb) {
            int width = Math.min(cb, h - jb);
            System.arraycopy(net.a, jb, s.a, 0, width);
            System.arraycopy(net.b, jb, s.bias, 0, width);
            deltaTables(net, s, blk, q, b4, width);
            updateBiasAndA(s, width, lr1, lr2, wd);
            System.arraycopy(s.a, 0, net.a, jb, width);
            System.arraycopy(s.bias, 0, net.b, jb, width);
            updateRows(net, jb, width, q, s, lr1, wd);
        }
    }

    /** {@link #backwardPass} storing ∂b, ∂a and ∂W in {@code grad} instead of applying them. */
    private static void gradientPass(Mlp2 net, int batch, Scratch s, float[] grad) {
        final int n = net.n, h = net.h, cb = s.cb, q = (batch + 3) >>> 2, b4 = s.b4(), gradB = n * h, gradA = gradB + h;
        padSamples(batch, s, q, b4);
        for (int blk = 0, jb = 0; jb < h; blk++, jb += cb) {
            int width = Math.min(cb, h - jb);
            System.arraycopy(net.a, jb, s.a, 0, width);
            deltaTables(net, s, blk, q, b4, width);
            System.arraycopy(s.gradB, 0, s.sums, 0, width);
            System.arraycopy(s.gradB, 0, grad, gradB + jb, width);
            System.arraycopy(s.gradA, 0, grad, gradA + jb, width);
            final float[] acc = s.acc, sums = s.sums;
            for (int i = 0; i < n; i++) {
                lookups(acc, s.tab, s.colNib, i * q, q, width);
                int r = i * h + jb;
                for (int u = 0; u < width; u++) grad[r + u] = Math.fma(acc[u], -2f, sums[u]);
            }
        }
    }

    /**
     * ReLU: the δ rows x_r = [z_r > 0]·a·g_r of samples b0..b0+3 (old a), and ∂a += Σ_r g_r max(z_r, 0)
     * in the vector kernels' order.
     */
    private static void deltaRows(Scratch s, float[] z0, float[] z1, float[] z2, float[] z3,
                                  float[] x0, float[] x1, float[] x2, float[] x3, int b0, int width) {
        final float[] gradA = s.gradA, a = s.a, g = s.g;
        final float g0 = g[b0], g1 = g[b0 + 1], g2 = g[b0 + 2], g3 = g[b0 + 3];
        for (int u = 0; u < width; u++) {
            float ga = Math.fma(Math.max(z0[u], 0f), g0, gradA[u]);
            ga = Math.fma(Math.max(z1[u], 0f), g1, ga);
            ga = Math.fma(Math.max(z2[u], 0f), g2, ga);
            gradA[u] = Math.fma(Math.max(z3[u], 0f), g3, ga);
        }
        blend(x0, z0, a, g0, width);
        blend(x1, z1, a, g1, width);
        blend(x2, z2, a, g2, width);
        blend(x3, z3, a, g3, width);
    }

    /**
     * x = z > 0 ? a·g : +0 (the vector kernels' zero.blend(a·g, z > 0)), without a branch: z's sign is a coin flip
     * per sample, and a mispredicted branch per hidden unit and sample cost more than the rest of this pass. The mask
     * is all ones exactly when z's bits are those of a positive non-NaN float (1 ≤ bits ≤ +∞'s bits).
     */
    private static void blend(float[] x, float[] z, float[] a, float g, int width) {
        for (int u = 0; u < width; u++) {
            int bits = Float.floatToRawIntBits(z[u]);
            int keep = ~(((bits - 1) | (0x7f80_0000 - bits)) >> 31);
            x[u] = Float.intBitsToFloat(Float.floatToRawIntBits(a[u] * g) & keep);
        }
    }

    /** z^k: x_r = (a·k)·g_r·z_r^{k−1}, ∂a += Σ_r g_r z_r^k. */
    private static void deltaRowsPow(Scratch s, float[] z0, float[] z1, float[] z2, float[] z3,
                                     float[] x0, float[] x1, float[] x2, float[] x3, int b0, int width, int k) {
        final float[] gradA = s.gradA, a = s.a, g = s.g;
        final float g0 = g[b0], g1 = g[b0 + 1], g2 = g[b0 + 2], g3 = g[b0 + 3], kf = k;
        for (int u = 0; u < width; u++) {
            float p0 = powM1(z0[u], k), p1 = powM1(z1[u], k), p2 = powM1(z2[u], k), p3 = powM1(z3[u], k);
            float ga = Math.fma(p0 * z0[u], g0, gradA[u]);
            ga = Math.fma(p1 * z1[u], g1, ga);
            ga = Math.fma(p2 * z2[u], g2, ga);
            gradA[u] = Math.fma(p3 * z3[u], g3, ga);
            float ak = a[u] * kf;
            x0[u] = ak * g0 * p0;
            x1[u] = ak * g1 * p1;
            x2[u] = ak * g2 * p2;
            x3[u] = ak * g3 * p3;
        }
    }

    /** S = ∂b into sums; b ← fma(fma(b, λ, ∂b), −η₁, b) and a ← fma(fma(a, λ, ∂a), −η₂, a), as the vector kernels. */
    private static void updateBiasAndA(Scratch s, int width, float lr1, float lr2, float wd) {
        final float[] a = s.a, bias = s.bias, gradA = s.gradA, gradB = s.gradB, sums = s.sums;
        for (int u = 0; u < width; u++) {
            sums[u] = gradB[u];
            bias[u] = Math.fma(Math.fma(bias[u], wd, gradB[u]), -lr1, bias[u]);
            a[u] = Math.fma(Math.fma(a[u], wd, gradA[u]), -lr2, a[u]);
        }
    }

    /** ∂W_i = fma(Σ_q D_q[nibble q of column i], −2, S) for units jb.., applied to W_i at once: fma(fma(W, λ, ∂W), −η₁, W). */
    private static void updateRows(Mlp2 net, int jb, int width, int q, Scratch s, float lr, float wd) {
        final int n = net.n, h = net.h;
        final float[] acc = s.acc, sums = s.sums, row = s.row;
        for (int i = 0; i < n; i++) {
            lookups(acc, s.tab, s.colNib, i * q, q, width);
            int r = i * h + jb;
            System.arraycopy(net.w, r, row, 0, width);
            for (int u = 0; u < width; u++) {
                float gw = Math.fma(acc[u], -2f, sums[u]);
                row[u] = Math.fma(Math.fma(row[u], wd, gw), -lr, row[u]);
            }
            System.arraycopy(row, 0, net.w, r, width);
        }
    }

    private static Scratch check(Mlp2 net, BitBatch x, Workspace ws) {
        if (!(ws instanceof Scratch s)) throw new IllegalArgumentException("workspace is not from the twin kernels");
        if (s.n != net.n || s.h != net.h) throw new IllegalArgumentException("workspace shape differs from the net's");
        if (x.n() != net.n) throw new IllegalArgumentException("batch has n=" + x.n() + ", net has n=" + net.n);
        if (x.size() > s.maxBatch) throw new IllegalArgumentException("batch " + x.size() + " > workspace " + s.maxBatch);
        return s;
    }
}
