package bitsgd.harness.model;

import java.util.Locale;

/**
 * The activations σ of the 1-neuron nets (Barak et al. 2022, architectures vii–xiv), for a parity of degree k.
 *
 * <p>All but {@code sin} are defined through the k+1 points the parity passes through: with w = 1_S (|S| = k) and
 * b = 0, the pre-activation s = w·x = Σ_{i∈S} x_i takes the values s_m = k − 2m (m = number of x_i = −1 in S,
 * m = 0..k) and χ_S(x) = (−1)^m = (−1)^{(k−s)/2}. So σ(s_m) = (−1)^m makes σ(w·x) = χ_S(x) exactly.
 * <ul>
 *   <li>{@link Kind#SIN}: σ(z) = sin z (k is not used).</li>
 *   <li>{@link Kind#ZIGZAG} (k-zigzag): the piecewise-linear interpolation of the points (s_m, (−1)^m) on [−k, k]
 *       (slopes ±1, peaks +1 at s ≡ k mod 4, troughs −1 at s ≡ k+2 mod 4), constant outside: σ = 1 for z ≥ k,
 *       σ = (−1)^k for z ≤ −k.</li>
 *   <li>{@link Kind#ZIGZAG_INF} (∞-zigzag): the periodic extension of the k-zigzag to all of ℝ, the triangle wave of
 *       period 4: σ(z) = |u − 2| − 1 with u = (z − k) mod 4 ∈ [0, 4).</li>
 *   <li>{@link Kind#POLY} (degree-k polynomial): the unique polynomial of degree ≤ k through the k+1 points, e.g.
 *       k = 1: s;  k = 2: s²/2 − 1;  k = 3: (s³ − 7s)/6. Coefficients from the Lagrange form, in double.</li>
 * </ul>
 * Source: docs/protocols.md §A names these activations; the exact formulas of the paper's appendix could not be
 * retrieved here, so these are the natural definitions above (σ realises the parity on the k+1 points).
 *
 * <p>Derivatives at the kinks of the zigzags are the right derivatives (at a peak −1, at a trough +1, at z = k of
 * the k-zigzag 0). Values and derivatives are computed in double from the float pre-activation.
 */
public final class NeuronActivation {

    public enum Kind {
        SIN, ZIGZAG, ZIGZAG_INF, POLY;

        /** The CLI spelling: sin | zigzag | zigzag-inf | poly. */
        public String flag() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final Kind kind;
    private final int k;
    /** POLY: coefficients c_0..c_k of Σ c_d s^d; null otherwise. */
    private final double[] coef;

    public NeuronActivation(Kind kind, int k) {
        if (kind == null) throw new IllegalArgumentException("activation kind is null");
        if (kind != Kind.SIN && k < 1) throw new IllegalArgumentException("degree k must be >= 1, got " + k);
        this.kind = kind;
        this.k = kind == Kind.SIN ? 0 : k;
        this.coef = kind == Kind.POLY ? interpolant(k) : null;
    }

    /** Parses sin | zigzag | zigzag-inf | poly; null when the name is none of these. */
    public static Kind parse(String name) {
        for (Kind kd : Kind.values()) if (kd.flag().equals(name)) return kd;
        return null;
    }

    public Kind kind() { return kind; }

    /** k (0 for sin). */
    public int degree() { return k; }

    /** Monomial coefficients c_0..c_k of the degree-k interpolant through (k − 2m, (−1)^m), m = 0..k. */
    static double[] interpolant(int k) {
        double[] c = new double[k + 1];
        for (int m = 0; m <= k; m++) {
            double sm = k - 2 * m;
            // basis ℓ_m(s) = Π_{j≠m} (s − s_j)/(s_m − s_j), built up one factor at a time
            double[] basis = new double[k + 1];
            basis[0] = 1;
            int deg = 0;
            double denom = 1;
            for (int j = 0; j <= k; j++) {
                if (j == m) continue;
                double sj = k - 2 * j;
                for (int d = deg + 1; d >= 1; d--) basis[d] = basis[d - 1] - sj * basis[d];
                basis[0] = -sj * basis[0];
                deg++;
                denom *= sm - sj;
            }
            double ym = (m & 1) == 0 ? 1 : -1;
            for (int d = 0; d <= k; d++) c[d] += ym * basis[d] / denom;
        }
        return c;
    }

    /** σ(z). */
    public double value(double z) {
        return switch (kind) {
            case SIN -> Math.sin(z);
            case ZIGZAG -> z >= k ? 1 : z <= -k ? ((k & 1) == 0 ? 1 : -1) : triangle(z);
            case ZIGZAG_INF -> triangle(z);
            case POLY -> {
                double v = coef[k];
                for (int d = k - 1; d >= 0; d--) v = v * z + coef[d];
                yield v;
            }
        };
    }

    /** σ'(z) (right derivative at the zigzags' kinks). */
    public double derivative(double z) {
        return switch (kind) {
            case SIN -> Math.cos(z);
            case ZIGZAG -> z >= k || z < -k ? 0 : triangleSlope(z);
            case ZIGZAG_INF -> triangleSlope(z);
            case POLY -> {
                double v = k * coef[k];
                for (int d = k - 1; d >= 1; d--) v = v * z + d * coef[d];
                yield v;
            }
        };
    }

    /** u = (z − k) mod 4 ∈ [0, 4): the phase of the triangle wave, 0 at a peak. */
    private double phase(double z) {
        double t = z - k;
        return t - 4 * Math.floor(t / 4);
    }

    private double triangle(double z) {
        return Math.abs(phase(z) - 2) - 1;
    }

    private double triangleSlope(double z) {
        return phase(z) < 2 ? -1 : 1;
    }

    /** {@code sin}, {@code zigzag k=3}, … */
    @Override
    public String toString() {
        return kind == Kind.SIN ? "sin" : kind.flag() + " k=" + k;
    }
}
