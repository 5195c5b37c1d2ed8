package bitsgd.harness.task;

import bitsgd.harness.UsageException;
import bitsgd.kernel.bits.BitBatch;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sum of monomials h(x) = Σ_m c_m ∏_{i∈S_m} x_i (Abbe et al. 2023: staircases, leap targets).
 *
 * <p>Supports are sorted 0-based index sets; printed and parsed 1-based ({@code x1 + 0.5*x2*x3}). Equal
 * supports are merged (coefficients added) and zero coefficients dropped, in order of first appearance, so
 * the supports are distinct and {@link #variance()} is exact. The empty support is the constant term.
 * On packed ±1 rows each monomial is (−1)^popcount(row &amp; mask), as in {@link SparseParity}.
 */
public final class Monomials implements Target {
    private static final MathContext SIX_DIGITS = new MathContext(6);

    private final int n;
    private final String name;
    private final int[][] supports;
    private final double[] coefficients;
    private final SupportMasks masks;

    private Monomials(String name, int n, int[][] supports, double[] coefficients) {
        this.name = name;
        this.n = n;
        this.supports = supports;
        this.coefficients = coefficients;
        this.masks = new SupportMasks(Arrays.asList(supports));
    }

    /**
     * Σ_m coefficients[m] · χ_{supports[m]} on n inputs. Supports are 0-based, in [0, n), without repeats
     * (x_i² = 1 is not reduced silently); their order inside a support does not matter.
     */
    public static Monomials of(int n, List<int[]> supports, double[] coefficients) {
        if (n < 1) throw new UsageException("n must be >= 1, got " + n);
        if (supports.size() != coefficients.length) {
            throw new UsageException(supports.size() + " monomials but " + coefficients.length + " coefficients");
        }
        Map<List<Integer>, Double> merged = new LinkedHashMap<>();
        for (int m = 0; m < coefficients.length; m++) {
            double c = coefficients[m];
            if (!Double.isFinite(c)) throw new UsageException("coefficient " + c + " of monomial " + m + " is not finite");
            merged.merge(sortedChecked(n, supports.get(m)), c, Double::sum);
        }
        merged.values().removeIf(c -> c == 0.0);
        int[][] s = new int[merged.size()][];
        double[] c = new double[merged.size()];
        int m = 0;
        for (var e : merged.entrySet()) {
            s[m] = e.getKey().stream().mapToInt(Integer::intValue).toArray();
            c[m++] = e.getValue();
        }
        return new Monomials("monomials", n, s, c);
    }

    /** Parses a 1-based spec such as {@code x1 + x1*x2 - 0.5*x3x4 + 1}; see {@link MonomialParser}. */
    public static Monomials parse(String spec, int n) {
        if (n < 1) throw new UsageException("n must be >= 1, got " + n);
        MonomialParser.Terms t = new MonomialParser(spec, n).parse();
        return of(n, t.supports(), t.coefficients());
    }

    /** The same function under another name in {@link #describe()}, e.g. {@code staircase:10}. */
    public Monomials named(String newName) {
        return new Monomials(newName, n, supports, coefficients);
    }

    /** The prefix monomials {}, {0}, {0,1}, …, {0..d−1} (d+1 of them): χ_{1:j} for j = 0..d, 0-based. */
    public static List<int[]> prefixes(int d) {
        if (d < 0) throw new UsageException("prefix degree must be >= 0, got " + d);
        List<int[]> out = new ArrayList<>(d + 1);
        for (int j = 0; j <= d; j++) out.add(range(0, j));
        return out;
    }

    /** {from, from+1, …, to−1}. */
    static int[] range(int from, int to) {
        int[] r = new int[Math.max(0, to - from)];
        for (int k = 0; k < r.length; k++) r[k] = from + k;
        return r;
    }

    @Override
    public int n() {
        return n;
    }

    /** Number of (merged, nonzero) monomials. */
    public int size() {
        return supports.length;
    }

    /** The supports S_m, each sorted and 0-based, in order of first appearance (copies). */
    public List<int[]> monomials() {
        List<int[]> out = new ArrayList<>(supports.length);
        for (int[] s : supports) out.add(s.clone());
        return out;
    }

    /** c_m, aligned with {@link #monomials()} (a copy). */
    public double[] coefficients() {
        return coefficients.clone();
    }

    /** Largest |S_m| (0 for a constant or the zero function). */
    public int degree() {
        int d = 0;
        for (int[] s : supports) d = Math.max(d, s.length);
        return d;
    }

    /**
     * Var h = Σ_{S_m ≠ {}} c_m²: the supports are distinct, and distinct monomials are orthonormal under any
     * independent zero-mean unit-variance coordinates (uniform ±1, standardised biased bits, Gaussians).
     */
    public double variance() {
        double v = 0;
        for (int m = 0; m < supports.length; m++) if (supports[m].length > 0) v += coefficients[m] * coefficients[m];
        return v;
    }

    /** E[h²] = Σ_m c_m² including the constant term: the MSE of predicting 0. */
    public double secondMoment() {
        double v = 0;
        for (double c : coefficients) v += c * c;
        return v;
    }

    /**
     * Leap(h) = min over orderings of max_m |S_m ∖ ∪_{m'<m} S_{m'}| (docs/protocols.md §C).
     *
     * <p>Greedy, always adding a monomial with the fewest new coordinates, is exact: the covered set only
     * grows, so whatever an optimal order can add with ≤ L new coordinates stays addable with ≤ L later.
     */
    public int leap() {
        boolean[] covered = new boolean[n];
        boolean[] used = new boolean[supports.length];
        int leap = 0;
        for (int step = 0; step < supports.length; step++) {
            int best = -1;
            int bestNew = Integer.MAX_VALUE;
            for (int m = 0; m < supports.length; m++) {
                if (used[m]) continue;
                int fresh = 0;
                for (int i : supports[m]) if (!covered[i]) fresh++;
                if (fresh < bestNew) {
                    best = m;
                    bestNew = fresh;
                }
            }
            used[best] = true;
            for (int i : supports[best]) covered[i] = true;
            leap = Math.max(leap, bestNew);
        }
        return leap;
    }

    @Override
    public void labels(BitBatch x, float[] y) {
        if (x.n() != n) throw new IllegalArgumentException("batch has n=" + x.n() + ", target has n=" + n);
        long[] rows = x.rows();
        int words = x.words();
        for (int b = 0, size = x.size(); b < size; b++) {
            double sum = 0;
            for (int m = 0; m < supports.length; m++) sum += masks.sign(rows, b * words, m) * coefficients[m];
            y[b] = (float) sum;
        }
    }

    @Override
    public float value(float[] x, int off) {
        double sum = 0;
        for (int m = 0; m < supports.length; m++) {
            double prod = coefficients[m];
            for (int i : supports[m]) prod *= x[off + i];
            sum += prod;
        }
        return (float) sum;
    }

    /** Only a single ±1-weighted monomial has ±1 labels (a parity, possibly negated). */
    @Override
    public boolean binary() {
        return supports.length == 1 && Math.abs(coefficients[0]) == 1.0;
    }

    /** E.g. {@code monomials n=30 x1 + x1*x2 - 0.5*x3 leap=1}. */
    @Override
    public String describe() {
        return name + " n=" + n + " " + formula() + " leap=" + leap();
    }

    /** The sum, 1-based, coefficients to 6 significant digits; {@code 0} for the zero function. */
    public String formula() {
        if (supports.length == 0) return "0";
        StringBuilder sb = new StringBuilder();
        for (int m = 0; m < supports.length; m++) {
            double c = coefficients[m];
            if (m == 0) sb.append(c < 0 ? "-" : "");
            else sb.append(c < 0 ? " - " : " + ");
            sb.append(term(Math.abs(c), supports[m]));
        }
        return sb.toString();
    }

    /** A curve column's name for f̂_T: {0, 1, 4} → {@code x1x2x5}; the empty monomial → {@code 1}. */
    public static String columnName(int[] m) {
        if (m.length == 0) return "1";
        StringBuilder sb = new StringBuilder();
        for (int i : m) sb.append('x').append(i + 1);
        return sb.toString();
    }

    private static String term(double absCoefficient, int[] support) {
        StringBuilder sb = new StringBuilder();
        if (support.length == 0 || absCoefficient != 1.0) sb.append(number(absCoefficient));
        for (int k = 0; k < support.length; k++) {
            if (sb.length() > 0) sb.append('*');
            sb.append('x').append(support[k] + 1);
        }
        return sb.toString();
    }

    private static String number(double c) {
        if (c == Math.rint(c) && c < 1e15) return Long.toString((long) c);
        return new BigDecimal(c).round(SIX_DIGITS).stripTrailingZeros().toString();
    }

    /** The support sorted, after checking 0 ≤ i < n and no repeats. */
    static List<Integer> sortedChecked(int n, int[] support) {
        int[] s = support.clone();
        Arrays.sort(s);
        for (int k = 0; k < s.length; k++) {
            if (s[k] < 0 || s[k] >= n) throw new UsageException("monomial index " + s[k] + " outside [0," + n + ")");
            if (k > 0 && s[k] == s[k - 1]) throw new UsageException("monomial index " + s[k] + " repeated in one monomial");
        }
        return Arrays.stream(s).boxed().toList();
    }
}
