package bitsgd.kernel.popgrad;

/**
 * A Boolean target y(x) ∈ {±1} read off an input's index u ∈ [0, 2^n): bit i of u is 1 ⇔ x_i = −1
 * (the bit layout of docs/architecture.md), so every target here is one popcount.
 */
public final class PopTarget {
    private final int n;
    private final long mask;       // parity support; unused for majority
    private final boolean majority;

    private PopTarget(int n, long mask, boolean majority) {
        if (n < 1 || n > 62) throw new IllegalArgumentException("n must be in [1, 62], got " + n);
        this.n = n;
        this.mask = mask;
        this.majority = majority;
    }

    /** χ_S(x) = ∏_{i∈S} x_i = (−1)^popcount(u &amp; mask(S)). */
    public static PopTarget parity(int n, int... support) {
        long m = 0;
        for (int i : support) {
            if (i < 0 || i >= n) throw new IllegalArgumentException("index " + i + " outside [0," + n + ")");
            m |= 1L << i;
        }
        return new PopTarget(n, m, false);
    }

    /** Maj_n(x) = sign(Σ_i x_i) = +1 ⇔ fewer than n/2 inputs are −1; odd n only (no ties). */
    public static PopTarget majority(int n) {
        if ((n & 1) == 0) throw new IllegalArgumentException("majority needs odd n (no ties), got " + n);
        return new PopTarget(n, 0, true);
    }

    public int n() {
        return n;
    }

    /** True for a parity target; then {@link #support()} is S. */
    public boolean isParity() {
        return !majority;
    }

    /** The parity's support as a bit mask over inputs (0 for majority). */
    public long mask() {
        return mask;
    }

    /** y at input index u. */
    public float label(long u) {
        if (majority) return 2 * Long.bitCount(u) < n ? 1f : -1f;
        return (Long.bitCount(u & mask) & 1) == 0 ? 1f : -1f;
    }

    public String describe() {
        if (majority) return "majority n=" + n;
        StringBuilder sb = new StringBuilder("parity n=" + n + " S=[");
        for (int i = 0, first = 1; i < n; i++) {
            if ((mask >>> i & 1) != 0) {
                if (first == 0) sb.append(", ");
                sb.append(i);
                first = 0;
            }
        }
        return sb.append(']').toString();
    }
}
