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
        final int n, h, maxBatch, lanes, cb, inGroups, maxSampleGroups;
        /** Pre-activations, rows padded to a multiple of 4 samples; made on the first step. */
        float[] z;
        final float[] f, g, fpart, sums, tab, acc, gradA, gradB, zeros, lane;
        /** Float offsets of table rows: rowNib[b·inGroups + gi], colNib[i·q + qi] (q = sample groups of the batch). */
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
            int hPadded = (h + lanes - 1) / lanes * lanes;
            this.cb = Math.min(fit, hPadded);
            this.f = new float[maxBatch];
            this.g = new float[(maxBatch + 3) & ~3];
            this.fpart = new float[Math.multiplyExact(maxBatch, lanes)];
            this.sums = new float[h];
            this.tab = new float[Math.multiplyExact(Math.multiplyExact(tables, ENTRIES), cb)];
            this.acc = new float[cb];
            this.gradA = new float[cb];
            this.gradB = new float[cb];
            this.zeros = new float[cb];
            this.lane = new float[2 * lanes];
            this.rowNib = new int[Math.multiplyExact(maxBatch, inGroups)];
            this.colNib = new int[Math.multiplyExact(n, maxSampleGroups)];
        }

        float[] z() {
            if (z == null) z = new float[Math.multiplyExact((maxBatch + 3) & ~3, h)];
            return z;
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
        forwardPass(net, x.size(), s, null, f);
    }

    @Override
    public float step(Mlp2 net, BitBatch x, float[] y, Loss loss, float lr1, float lr2, float weightDecay, Workspace ws) {
        Scratch s = check(net, x, ws);
        int batch = x.size();
        float[] z = s.z(), f = s.f, g = s.g;
        rowNibbles(x, s);
        forwardPass(net, batch, s, z, f);

        // the vector kernels' loss loop, verbatim
        float lossSum = 0f, gc = 0f;
        for (int b = 0; b < batch; b++) {
            lossSum += loss.value(y[b], f[b]);
            g[b] = loss.derivative(y[b], f[b]) / batch;
            gc += g[b];
        }
        colNibbles(x, s);
        backwardPass(net, batch, s, z, lr1, lr2, weightDecay);
        net.c = net.c - lr2 * (gc + weightDecay * net.c);
        return lossSum / batch;
    }

    // ---------------------------------------------------------------- nibble indices

    /** Table offsets of the 4-bit input groups of every sample (groups never straddle a word: 64 % 4 == 0). */
    private static void rowNibbles(BitBatch x, Scratch s) {
        long[] rows = x.rows();
        int words = x.words(), groups = s.inGroups, batch = x.size(), cb = s.cb;
        int[] nib = s.rowNib;
        for (int b = 0; b < batch; b++) {
            int out = b * groups;
            for (int w = 0; w < words; w++) {
                long word = rows[b * words + w];
                for (int gi = w * 16, end = Math.min(groups, gi + 16); gi < end; gi++, word >>>= 4) {
                    nib[out + gi] = (gi * ENTRIES + ((int) word & 15)) * cb;
                }
            }
        }
    }

    /** Table offsets of the 4-sample groups of every input column; samples past the batch count as zero bits. */
    private static void colNibbles(BitBatch x, Scratch s) {
        long[] rows = x.rows();
        int words = x.words(), n = s.n, batch = x.size(), q = (batch + 3) >>> 2, cb = s.cb;
        int[] nib = s.colNib;
        for (int qi = 0; qi < q; qi++) {
            int b0 = qi << 2;
            for (int i = 0; i < n; i++) {
                int w = i >>> 6, bit = i & 63, p = 0;
                for (int r = 0; r < 4 && b0 + r < batch; r++) p |= (int) (rows[(b0 + r) * words + w] >>> bit & 1L) << r;
                nib[i * q + qi] = (qi * ENTRIES + p) * cb;
            }
        }
    }

    // ---------------------------------------------------------------- forward

    /** z (if non-null) and f of the first {@code batch} samples, block by block in increasing j. */
    private static void forwardPass(Mlp2 net, int batch, Scratch s, float[] z, float[] f) {
        int h = net.h, cb = s.cb, k = net.activation.degree();   // k = 0: ReLU
        Arrays.fill(s.fpart, 0, batch * s.lanes, 0f);
        for (int jb = 0; jb < h; jb += cb) {
            int width = Math.min(cb, h - jb);
            inputTables(net, jb, width, s);
            for (int b = 0; b < batch; b++) forwardSample(net, b, jb, width, s, z, k);
        }
        laneSums(s, batch, net.c, f);
    }

    /** The 16-entry subset-sum tables of every input group for hidden units jb..jb+width−1; Σ_i W_i into sums. */
    private static void inputTables(Mlp2 net, int jb, int width, Scratch s) {
        final int n = net.n, h = net.h, cb = s.cb;
        final float[] w = net.w, tab = s.tab, sums = s.sums, zeros = s.zeros;
        Arrays.fill(sums, jb, jb + width, 0f);
        for (int gi = 0; gi < s.inGroups; gi++) {
            int i = gi << 2, r0 = i * h + jb;
            // inputs past n read a +0 row, as the vector kernels' ZEROS row
            float[] s1 = i + 1 < n ? w : zeros, s2 = i + 2 < n ? w : zeros, s3 = i + 3 < n ? w : zeros;
            int r1 = i + 1 < n ? r0 + h : 0, r2 = i + 2 < n ? r0 + 2 * h : 0, r3 = i + 3 < n ? r0 + 3 * h : 0;
            int t = gi * ENTRIES * cb;
            for (int u = 0; u < width; u++) {
                float v0 = w[r0 + u], v1 = s1[r1 + u], v2 = s2[r2 + u], v3 = s3[r3 + u];
                float e3 = v0 + v1, e5 = v0 + v2, e6 = v1 + v2, e7 = e3 + v2;
                float e9 = v0 + v3, e10 = v1 + v3, e11 = e3 + v3, e12 = v2 + v3;
                float e13 = e5 + v3, e14 = e6 + v3, e15 = e7 + v3;
                sums[jb + u] += e15;
                tab[t + cb + u] = v0;
                tab[t + 2 * cb + u] = v1;
                tab[t + 3 * cb + u] = e3;
                tab[t + 4 * cb + u] = v2;
                tab[t + 5 * cb + u] = e5;
                tab[t + 6 * cb + u] = e6;
                tab[t + 7 * cb + u] = e7;
                tab[t + 8 * cb + u] = v3;
                tab[t + 9 * cb + u] = e9;
                tab[t + 10 * cb + u] = e10;
                tab[t + 11 * cb + u] = e11;
                tab[t + 12 * cb + u] = e12;
                tab[t + 13 * cb + u] = e13;
                tab[t + 14 * cb + u] = e14;
                tab[t + 15 * cb + u] = e15;
            }
        }
    }

    /** z_b = fma(Σ_g T_g[nibble], −2, b + ΣW) for units jb.., then f-partials of lane j mod LANES (k = 0: ReLU, else z^k). */
    private static void forwardSample(Mlp2 net, int b, int jb, int width, Scratch s, float[] z, int k) {
        final float[] tab = s.tab, acc = s.acc, bias = net.b, a = net.a, sums = s.sums, fpart = s.fpart;
        final int groups = s.inGroups, lanes = s.lanes;
        final int[] nib = s.rowNib;
        Arrays.fill(acc, 0, width, 0f);
        for (int k0 = b * groups, end = k0 + groups; k0 < end; k0++) {
            int o = nib[k0];
            for (int u = 0; u < width; u++) acc[u] += tab[o + u];
        }
        for (int u = 0; u < width; u++) acc[u] = Math.fma(acc[u], -2f, bias[jb + u] + sums[jb + u]);
        if (z != null) System.arraycopy(acc, 0, z, b * net.h + jb, width);
        int p = b * lanes;
        // block after block of LANES units: the order of the vector kernels' per-lane partial sums
        for (int u0 = 0; u0 < width; u0 += lanes) {
            int m = Math.min(lanes, width - u0);
            if (k == 0) {
                for (int l = 0; l < m; l++) fpart[p + l] = Math.fma(Math.max(acc[u0 + l], 0f), a[jb + u0 + l], fpart[p + l]);
            } else {
                for (int l = 0; l < m; l++) {
                    float zz = acc[u0 + l];
                    fpart[p + l] = Math.fma(powM1(zz, k) * zz, a[jb + u0 + l], fpart[p + l]);
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

    private static void backwardPass(Mlp2 net, int batch, Scratch s, float[] z, float lr1, float lr2, float wd) {
        final int h = net.h, cb = s.cb, q = (batch + 3) >>> 2;
        final float[] g = s.g;
        for (int b = batch; b < (q << 2); b++) {
            g[b] = 0f;
            Arrays.fill(z, b * h, (b + 1) * h, 0f);
        }
        for (int jb = 0; jb < h; jb += cb) {
            int width = Math.min(cb, h - jb);
            if (net.activation.isRelu()) deltaTables(net, jb, width, q, s, z, lr1, lr2, wd);
            else deltaTablesPow(net, jb, width, q, s, z, lr1, lr2, wd);
            updateRows(net, jb, width, q, s, lr1, wd);
        }
    }

    /**
     * For units jb..: δ_b = [z_b > 0]·a·g_b of each group of 4 samples → a 16-entry table; ∂a = Σ_b g_b max(z_b, 0)
     * and S = ∂b = Σ_b δ_b on the way (old a); S into sums; then the SGD updates of a and b.
     */
    private static void deltaTables(Mlp2 net, int jb, int width, int q, Scratch s, float[] z, float lr1, float lr2, float wd) {
        final int h = net.h, cb = s.cb;
        final float[] tab = s.tab, g = s.g, a = net.a, gradA = s.gradA, gradB = s.gradB;
        Arrays.fill(gradA, 0, width, 0f);
        Arrays.fill(gradB, 0, width, 0f);
        for (int qi = 0; qi < q; qi++) {
            int b0 = qi << 2, r0 = b0 * h + jb, t = qi * ENTRIES * cb;
            float g0 = g[b0], g1 = g[b0 + 1], g2 = g[b0 + 2], g3 = g[b0 + 3];
            for (int u = 0; u < width; u++) {
                float z0 = z[r0 + u], z1 = z[r0 + h + u], z2 = z[r0 + 2 * h + u], z3 = z[r0 + 3 * h + u];
                float av = a[jb + u];
                float ga = Math.fma(Math.max(z0, 0f), g0, gradA[u]);
                ga = Math.fma(Math.max(z1, 0f), g1, ga);
                ga = Math.fma(Math.max(z2, 0f), g2, ga);
                gradA[u] = Math.fma(Math.max(z3, 0f), g3, ga);
                float x0 = z0 > 0f ? av * g0 : 0f, x1 = z1 > 0f ? av * g1 : 0f;
                float x2 = z2 > 0f ? av * g2 : 0f, x3 = z3 > 0f ? av * g3 : 0f;
                gradB[u] += table16(tab, t + u, cb, x0, x1, x2, x3);
            }
        }
        updateBiasAndA(net, jb, width, s, lr1, lr2, wd);
    }

    /** {@link #deltaTables} for σ(z) = z^k: δ_b = (a·k)·g_b·z_b^{k−1}, ∂a = Σ_b g_b z_b^k. */
    private static void deltaTablesPow(Mlp2 net, int jb, int width, int q, Scratch s, float[] z, float lr1, float lr2, float wd) {
        final int h = net.h, cb = s.cb, k = net.activation.degree();
        final float[] tab = s.tab, g = s.g, a = net.a, gradA = s.gradA, gradB = s.gradB;
        final float kf = k;
        Arrays.fill(gradA, 0, width, 0f);
        Arrays.fill(gradB, 0, width, 0f);
        for (int qi = 0; qi < q; qi++) {
            int b0 = qi << 2, r0 = b0 * h + jb, t = qi * ENTRIES * cb;
            float g0 = g[b0], g1 = g[b0 + 1], g2 = g[b0 + 2], g3 = g[b0 + 3];
            for (int u = 0; u < width; u++) {
                float z0 = z[r0 + u], z1 = z[r0 + h + u], z2 = z[r0 + 2 * h + u], z3 = z[r0 + 3 * h + u];
                float ak = a[jb + u] * kf;
                float p0 = powM1(z0, k), p1 = powM1(z1, k), p2 = powM1(z2, k), p3 = powM1(z3, k);
                float ga = Math.fma(p0 * z0, g0, gradA[u]);
                ga = Math.fma(p1 * z1, g1, ga);
                ga = Math.fma(p2 * z2, g2, ga);
                gradA[u] = Math.fma(p3 * z3, g3, ga);
                gradB[u] += table16(tab, t + u, cb, ak * g0 * p0, ak * g1 * p1, ak * g2 * p2, ak * g3 * p3);
            }
        }
        updateBiasAndA(net, jb, width, s, lr1, lr2, wd);
    }

    /** Writes the subset sums of x0..x3 at entries 1..15 (stride cb) and returns the full sum e15 = x0+x1+x2+x3. */
    private static float table16(float[] tab, int t, int cb, float x0, float x1, float x2, float x3) {
        float e3 = x0 + x1, e5 = x0 + x2, e6 = x1 + x2, e7 = e3 + x2;
        float e9 = x0 + x3, e10 = x1 + x3, e11 = e3 + x3, e12 = x2 + x3;
        float e13 = e5 + x3, e14 = e6 + x3, e15 = e7 + x3;
        tab[t + cb] = x0;
        tab[t + 2 * cb] = x1;
        tab[t + 3 * cb] = e3;
        tab[t + 4 * cb] = x2;
        tab[t + 5 * cb] = e5;
        tab[t + 6 * cb] = e6;
        tab[t + 7 * cb] = e7;
        tab[t + 8 * cb] = x3;
        tab[t + 9 * cb] = e9;
        tab[t + 10 * cb] = e10;
        tab[t + 11 * cb] = e11;
        tab[t + 12 * cb] = e12;
        tab[t + 13 * cb] = e13;
        tab[t + 14 * cb] = e14;
        tab[t + 15 * cb] = e15;
        return e15;
    }

    /** S = ∂b into sums; b ← fma(fma(b, λ, ∂b), −η₁, b) and a ← fma(fma(a, λ, ∂a), −η₂, a), as the vector kernels. */
    private static void updateBiasAndA(Mlp2 net, int jb, int width, Scratch s, float lr1, float lr2, float wd) {
        final float[] a = net.a, bias = net.b, gradA = s.gradA, gradB = s.gradB, sums = s.sums;
        for (int u = 0; u < width; u++) {
            int j = jb + u;
            sums[j] = gradB[u];
            bias[j] = Math.fma(Math.fma(bias[j], wd, gradB[u]), -lr1, bias[j]);
            a[j] = Math.fma(Math.fma(a[j], wd, gradA[u]), -lr2, a[j]);
        }
    }

    /** ∂W_i = fma(Σ_q D_q[nibble q of column i], −2, S) for units jb.., applied to W_i at once: fma(fma(W, λ, ∂W), −η₁, W). */
    private static void updateRows(Mlp2 net, int jb, int width, int q, Scratch s, float lr, float wd) {
        final int n = net.n, h = net.h;
        final float[] w = net.w, tab = s.tab, acc = s.acc, sums = s.sums;
        final int[] nib = s.colNib;
        for (int i = 0; i < n; i++) {
            Arrays.fill(acc, 0, width, 0f);
            for (int k = i * q, end = k + q; k < end; k++) {
                int o = nib[k];
                for (int u = 0; u < width; u++) acc[u] += tab[o + u];
            }
            int r = i * h + jb;
            for (int u = 0; u < width; u++) {
                float gw = Math.fma(acc[u], -2f, sums[jb + u]);
                w[r + u] = Math.fma(Math.fma(w[r + u], wd, gw), -lr, w[r + u]);
            }
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
