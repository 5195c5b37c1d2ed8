package bitsgd.harness.task;

import bitsgd.harness.UsageException;
import bitsgd.kernel.bits.BitBatch;

/**
 * Maj_n(x) = sign(Σ_i x_i) for odd n (no ties on ±1 inputs). With bit i = 1 ⇔ x_i = −1, Σ_i x_i = n − 2·popcount(row),
 * so a label is one popcount per row word; unused high bits of the last word are 0 and do not count.
 */
public final class Majority implements Target {
    private final int n;

    private Majority(int n) {
        this.n = n;
    }

    /** Majority of n inputs; n must be odd so that ±1 inputs never tie. */
    public static Majority of(int n) {
        if (n < 1 || n % 2 == 0) throw new UsageException("majority needs an odd n >= 1 (no ties), got n=" + n);
        return new Majority(n);
    }

    @Override
    public int n() {
        return n;
    }

    @Override
    public void labels(BitBatch x, float[] y) {
        if (x.n() != n) throw new IllegalArgumentException("batch has n=" + x.n() + ", target has n=" + n);
        long[] rows = x.rows();
        int words = x.words();
        for (int b = 0, size = x.size(); b < size; b++) {
            int minus = 0;
            for (int w = 0, base = b * words; w < words; w++) minus += Long.bitCount(rows[base + w]);
            y[b] = 2 * minus < n ? 1f : -1f;
        }
    }

    /** sign(Σ x_i), with sign(0) = +1 (only reachable with real-valued inputs). */
    @Override
    public float value(float[] x, int off) {
        double sum = 0;
        for (int i = 0; i < n; i++) sum += x[off + i];
        return sum >= 0 ? 1f : -1f;
    }

    @Override
    public String describe() {
        return "majority n=" + n;
    }
}
