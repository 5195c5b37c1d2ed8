package bitsgd.kernel.popgrad;

import bitsgd.kernel.mlp.Loss;
import bitsgd.kernel.mlp.Mlp2;

/**
 * The driver shared by both implementations: tables, labels, loss, the double accumulators and the
 * final assembly (see {@link PopGradKernels} for the math). Only the per-block hot loops differ, behind
 * {@link BlockOps}: called once per block of 2^L inputs, never per input.
 */
final class Enumeration {
    /** Blocks between flushes of the float D table into its double twin (float sums stay ≤ 2^L·FLUSH terms). */
    static final int FLUSH = 32;
    /**
     * Mid bits M: the block sums E are accumulated into a 2^M-row table indexed by the next M bits of q (like D
     * for the low bits), so the per-block cost for the n−L high coordinates is 2h adds instead of (n−L)·h.
     */
    static final int MID_BITS = 6;
    /** Largest n: 2^32 inputs already take minutes at h = 100. */
    static final int MAX_N = 34;

    private Enumeration() {}

    /** The per-block hot loops. */
    interface BlockOps {
        /** Row stride of the table, D, base and a (≥ h; the padding lanes hold zeros and never contribute). */
        int stride(int h);

        /** base_j = b_j + Σ_{i≥L} x_i(q) W_ij, i ascending. */
        void base(Mlp2 net, int lowBits, long q, float[] base);

        /** f[p] = c + Σ_j a_j max(base_j + T[p·stride + j], 0) for p in [0, P); {@code h} is the stride here. */
        void forward(float[] base, float[] table, float[] a, float c, int inputs, int h, float[] f);

        /**
         * With m = [base_j + T[p·h+j] &gt; 0]: D[p·h+j] += g[p]·m; E[j] = Σ_p g[p]·m (overwritten);
         * GA[j] = Σ_p g[p]·max(base_j + T[p·h+j], 0) (overwritten).
         */
        void backward(float[] base, float[] table, float[] g, int inputs, int h, float[] d, float[] e, float[] ga);
    }

    /**
     * Low block size L ≤ n: the largest L ≤ 10 whose table T (2^L × h floats) fits 128 KB (L2-resident with D),
     * but at least 4 so the per-block work (base, high coordinates: O((n−L)·h)) stays small against the 2^L·h
     * per-input work. Measured at n = 20, h = 100 (AVX-512, noisy shared machine): L = 5, 6, 7, 8 → 42, 33, 38, 25 ms.
     * {@code -Dbitsgd.popgradLowBits} forces it.
     */
    static int lowBits(int n, int h) {
        String forced = System.getProperty("bitsgd.popgradLowBits");
        if (forced != null && !forced.isBlank()) return Math.max(1, Math.min(Math.min(n, 16), Integer.parseInt(forced.trim())));
        int l = 10;
        while (l > 4 && (4L << l) * h > 128 * 1024) l--;
        return Math.min(n, l);
    }

    /** Bytes allocated by one {@link #run} (tables, accumulators, the result). */
    static long bytesNeeded(int n, int h) {
        long p = 1L << lowBits(n, h), hp = h + 16L; // stride padded to at most 16 float lanes
        return 16 * p * hp                // T, D (float) and D (double)
                + 16L * n * h             // top-coordinate accumulators and the result's ∂W (double)
                + (12L << MID_BITS) * h   // the mid table F (float) and its double twin
                + 64L * h + 8 * p + 1024;  // per-unit rows, f and g
    }

    static PopGrad run(String name, BlockOps ops, Mlp2 net, PopTarget target, Loss loss, double flip) {
        return run(name, ops, net, target, loss, flip, lowBits(net.n, net.h));
    }

    /** As above with an explicit low block size L in [1, n] (tests use awkward ones). */
    static PopGrad run(String name, BlockOps ops, Mlp2 net, PopTarget target, Loss loss, double flip, int lowBits) {
        int n = net.n, h = net.h;
        if (target.n() != n) throw new IllegalArgumentException("target has n=" + target.n() + ", net has n=" + n);
        if (!net.activation.isRelu()) throw new IllegalArgumentException("population gradients are ReLU-only, net has " + net.activation);
        if (n > MAX_N) throw new IllegalArgumentException("exhaustive enumeration needs n <= " + MAX_N + ", got " + n);
        if (!(flip >= 0 && flip <= 1)) throw new IllegalArgumentException("flip probability must be in [0, 1], got " + flip);
        if (lowBits < 1 || lowBits > n || lowBits > 16) throw new IllegalArgumentException("low block " + lowBits + " outside [1, min(n, 16)]");
        int inputs = 1 << lowBits;
        long blocks = 1L << (n - lowBits);
        int high = n - lowBits;
        int hp = ops.stride(h);

        float[] table = lowTable(net, lowBits, hp);
        float[] a = java.util.Arrays.copyOf(net.a, hp);
        float[] base = new float[hp], f = new float[inputs], g = new float[inputs], e = new float[hp], ga = new float[hp];
        float[] d = new float[Math.multiplyExact(inputs, hp)];
        double[] dd = new double[d.length];
        int mid = Math.min(high, MID_BITS), top = high - mid, midMask = (1 << mid) - 1;
        float[] fm = new float[(midMask + 1) * h], et = new float[h];
        double[] fmd = new double[(midMask + 1) * h];
        double[] gTop = new double[top * h];
        double[] gaSum = new double[h];
        double lossSum = 0, gSum = 0;
        double[] sums = new double[2];
        long correct = 0;
        float pf = (float) flip;

        for (long q = 0; q < blocks; q++) {
            ops.base(net, lowBits, q, base);
            ops.forward(base, table, a, net.c, inputs, hp, f);
            long hi = q << lowBits;
            correct += losses(target, hi, f, g, inputs, loss, pf, sums);
            lossSum += sums[0];
            gSum += sums[1];
            ops.backward(base, table, g, inputs, hp, d, e, ga);
            // high coordinates: mid bits through the table F, top bits once per 2^M blocks
            int qm = (int) (q & midMask), fr = qm * h;
            for (int j = 0; j < h; j++) {
                fm[fr + j] += e[j];
                et[j] += e[j];
                gaSum[j] += ga[j];
            }
            if (qm == midMask) {
                long qt = q >>> mid;
                for (int i = 0; i < top; i++) {
                    int row = i * h;
                    if ((qt >>> i & 1) != 0) {
                        for (int j = 0; j < h; j++) gTop[row + j] -= et[j];
                    } else {
                        for (int j = 0; j < h; j++) gTop[row + j] += et[j];
                    }
                }
                java.util.Arrays.fill(et, 0f);
            }
            if ((q + 1) % FLUSH == 0 || q == blocks - 1) flush(d, dd);
            if ((q + 1) % ((long) FLUSH << mid) == 0 || q == blocks - 1) flush(fm, fmd);
        }

        double inv = Math.scalb(1.0, -n);
        double[] gw = new double[n * h];
        double[] gb = new double[h];
        // low coordinates: ∂W_ij ∝ Σ_p x_i(p) D[p]_j, and ∂b_j ∝ Σ_p D[p]_j
        for (int p = 0; p < inputs; p++) {
            int row = p * hp;
            for (int j = 0; j < h; j++) gb[j] += dd[row + j];
            for (int i = 0; i < lowBits; i++) {
                int gi = i * h;
                if ((p >>> i & 1) != 0) {
                    for (int j = 0; j < h; j++) gw[gi + j] -= dd[row + j];
                } else {
                    for (int j = 0; j < h; j++) gw[gi + j] += dd[row + j];
                }
            }
        }
        for (int qm = 0; qm <= midMask; qm++) {
            int row = qm * h;
            for (int m = 0; m < mid; m++) {
                int gi = (lowBits + m) * h;
                if ((qm >>> m & 1) != 0) {
                    for (int j = 0; j < h; j++) gw[gi + j] -= fmd[row + j];
                } else {
                    for (int j = 0; j < h; j++) gw[gi + j] += fmd[row + j];
                }
            }
        }
        System.arraycopy(gTop, 0, gw, (lowBits + mid) * h, top * h);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < h; j++) gw[i * h + j] *= net.a[j] * inv;
        }
        double[] gaOut = new double[h];
        for (int j = 0; j < h; j++) {
            gb[j] *= net.a[j] * inv;
            gaOut[j] = gaSum[j] * inv;
        }
        return new PopGrad(n, h, gw, gb, gaOut, gSum * inv, lossSum * inv, correct * inv, name);
    }

    /** acc += part; part = 0. */
    private static void flush(float[] part, double[] acc) {
        for (int k = 0; k < part.length; k++) {
            acc[k] += part[k];
            part[k] = 0f;
        }
    }

    /**
     * g[p] = ∂ℓ/∂f for the block's inputs; sums[0] = Σ ℓ, sums[1] = Σ g; returns the number with y·f &gt; 0.
     * The common noiseless losses are inlined (the enum's methods are a megamorphic call per input, a third of
     * the whole time at h = 100); they are the same formulas as {@link Loss}, and the tests hold both to a
     * double-precision brute force.
     */
    static int losses(PopTarget target, long hi, float[] f, float[] g, int inputs, Loss loss, float flip, double[] sums) {
        int correct = 0;
        double ls = 0, gs = 0;
        if (flip == 0f && loss == Loss.HINGE) {
            for (int p = 0; p < inputs; p++) {
                float y = target.label(hi | p), m = y * f[p];
                if (m > 0f) correct++;
                float gp = m <= 1f ? -y : 0f;
                g[p] = gp;
                gs += gp;
                ls += Math.max(0f, 1f - m);
            }
        } else if (flip == 0f && loss == Loss.CORRELATION) {
            for (int p = 0; p < inputs; p++) {
                float y = target.label(hi | p), m = y * f[p];
                if (m > 0f) correct++;
                g[p] = -y;
                gs -= y;
                ls -= m;
            }
        } else if (flip == 0f && loss == Loss.SQUARE) {
            for (int p = 0; p < inputs; p++) {
                float y = target.label(hi | p), fp = f[p], r = y - fp;
                if (y * fp > 0f) correct++;
                float gp = 2f * (fp - y);
                g[p] = gp;
                gs += gp;
                ls += r * r;
            }
        } else {
            float keep = 1f - flip;
            for (int p = 0; p < inputs; p++) {
                float y = target.label(hi | p), fp = f[p];
                if (y * fp > 0f) correct++;
                float gp;
                double lp;
                if (flip == 0f) {
                    gp = loss.derivative(y, fp);
                    lp = loss.value(y, fp);
                } else {
                    gp = keep * loss.derivative(y, fp) + flip * loss.derivative(-y, fp);
                    lp = keep * (double) loss.value(y, fp) + flip * (double) loss.value(-y, fp);
                }
                g[p] = gp;
                gs += gp;
                ls += lp;
            }
        }
        sums[0] = ls;
        sums[1] = gs;
        return correct;
    }

    /**
     * T[p·h + j] = Σ_{i&lt;L} x_i(p) W_ij. T[0] sums the rows with x = +1; every other entry is one
     * subtract from the entry without p's lowest set bit: T[p] = T[p &amp; (p−1)] − 2·W_lowbit(p).
     */
    static float[] lowTable(Mlp2 net, int lowBits, int stride) {
        int h = net.h, inputs = 1 << lowBits;
        float[] t = new float[inputs * stride];
        for (int i = 0; i < lowBits; i++) {
            for (int j = 0; j < h; j++) t[j] += net.w[i * h + j];
        }
        for (int p = 1; p < inputs; p++) {
            int from = (p & (p - 1)) * stride, row = Integer.numberOfTrailingZeros(p) * h, to = p * stride;
            for (int j = 0; j < h; j++) t[to + j] = t[from + j] - 2f * net.w[row + j];
        }
        return t;
    }
}
