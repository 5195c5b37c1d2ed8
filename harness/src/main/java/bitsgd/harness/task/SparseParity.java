package bitsgd.harness.task;

import bitsgd.harness.UsageException;
import bitsgd.kernel.bits.BitBatch;
import bitsgd.kernel.bits.Bits;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * The k-sparse parity χ_S(x) = ∏_{i∈S} x_i on {±1}^n (Barak et al. 2022). With bit i = 1 ⇔ x_i = −1,
 * χ_S(x) = (−1)^popcount(bits(x) &amp; mask(S)), one AND + popcount per word.
 */
public final class SparseParity implements Target {
    private final int n;
    private final int[] secret;
    private final long[] mask;

    private SparseParity(int n, int[] secret) {
        this.n = n;
        this.secret = secret;
        this.mask = Bits.mask(n, secret);
    }

    /** A parity on the given support (0-based, distinct, inside [0, n)); kept sorted. */
    public static SparseParity of(int n, int... secret) {
        if (n < 1) throw new UsageException("n must be >= 1, got " + n);
        if (secret.length < 1) throw new UsageException("the secret must hold at least one index");
        int[] s = secret.clone();
        Arrays.sort(s);
        for (int j = 0; j < s.length; j++) {
            if (s[j] < 0 || s[j] >= n) throw new UsageException("secret index " + s[j] + " outside [0," + n + ")");
            if (j > 0 && s[j] == s[j - 1]) throw new UsageException("secret index " + s[j] + " repeated");
        }
        return new SparseParity(n, s);
    }

    /** A uniformly random k-subset of [n] (partial Fisher–Yates), drawn from {@code rng}. */
    public static SparseParity random(int n, int k, RandomGenerator rng) {
        if (k < 1 || k > n) throw new UsageException("k must be in [1, n=" + n + "], got " + k);
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        for (int j = 0; j < k; j++) {
            int r = j + rng.nextInt(n - j);
            int t = idx[j];
            idx[j] = idx[r];
            idx[r] = t;
        }
        return of(n, Arrays.copyOf(idx, k));
    }

    @Override
    public int n() {
        return n;
    }

    public int k() {
        return secret.length;
    }

    /** The support S, sorted, 0-based. */
    public int[] secret() {
        return secret.clone();
    }

    @Override
    public void labels(BitBatch x, float[] y) {
        if (x.n() != n) throw new IllegalArgumentException("batch has n=" + x.n() + ", target has n=" + n);
        long[] rows = x.rows();
        int words = x.words();
        for (int b = 0, size = x.size(); b < size; b++) y[b] = Bits.parity(rows, b, words, mask);
    }

    /** ∏_{i∈S} x_i on a dense row (real-valued inputs: biased hypercube, Gaussian). */
    @Override
    public float value(float[] x, int off) {
        float prod = 1f;
        for (int i : secret) prod *= x[off + i];
        return prod;
    }

    @Override
    public String describe() {
        return "parity n=" + n + " k=" + secret.length + " S=" + Arrays.toString(secret);
    }
}
