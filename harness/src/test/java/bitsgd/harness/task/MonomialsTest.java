package bitsgd.harness.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsgd.harness.UsageException;
import bitsgd.harness.model.Inputs;
import bitsgd.kernel.bits.BitBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MonomialsTest {

    /** The examples of docs/protocols.md §C and a few of our own. */
    @ParameterizedTest(name = "leap({0}) = {1}")
    @CsvSource({
        "x1 + x1x2 + x1x2x3, 1",
        "x1 + x1x2x3, 2",
        "x1 + x1x2x3x4, 3",
        "x1x2x3 + x1x2x3x4, 3",
        "x1x2 + x3x4, 2",
        "x1x2 + x2x3 + x3x4, 2",
        "x1x2x3x4 + x1x2x3 + x1x2 + x1, 1",  // optimal order is the reverse of the written one
        "x1x2x3 + x4 + x1x4 + x1x2x4, 1",
        "1 + x1, 1",
        "1, 0",
        "0, 0",
    })
    void leapOfExamples(String spec, int leap) {
        assertEquals(leap, Monomials.parse(spec, 10).leap());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 8})
    void leapOfAParityIsItsDegree(int k) {
        var rng = new SplittableRandom(k);
        for (int trial = 0; trial < 5; trial++) {
            int[] s = SparseParity.random(50, k, rng).secret();
            assertEquals(k, Monomials.of(50, List.of(s), new double[] {1}).leap());
        }
    }

    /** Greedy leap against the definition: the minimum over all orderings, on small random targets. */
    @Test
    void leapMatchesBruteForceOverOrderings() {
        var rng = new SplittableRandom(11);
        for (int trial = 0; trial < 300; trial++) {
            int n = 6;
            int count = 1 + rng.nextInt(5);
            List<int[]> supports = new ArrayList<>();
            for (int m = 0; m < count; m++) supports.add(randomSubset(n, rng.nextInt(n + 1), rng));
            double[] c = new double[count];
            Arrays.fill(c, 1);
            Monomials h = Monomials.of(n, supports, c);
            assertEquals(bruteForceLeap(h.monomials(), n), h.leap(), h.describe());
        }
    }

    @Test
    void equalSupportsMergeAndZerosDrop() {
        Monomials h = Monomials.parse("x2x1 + x1*x2 + x3 - x3 + 0*x4", 5);
        assertEquals(1, h.size());
        assertArrayEquals(new int[] {0, 1}, h.monomials().get(0));
        assertArrayEquals(new double[] {2}, h.coefficients());
    }

    @Test
    void varianceIsTheSumOfSquaresWithoutTheConstant() {
        Monomials h = Monomials.parse("3 + x1 + x1 - 0.5*x2x3", 4);
        assertEquals(4 + 0.25, h.variance(), 1e-12);
        assertEquals(9 + 4 + 0.25, h.secondMoment(), 1e-12);
    }

    /** Var h from all 2^n inputs equals variance(): the supports are orthonormal. */
    @Test
    void varianceMatchesEnumeration() {
        int n = 5;
        Monomials h = Monomials.parse("0.7 + x1 - 2*x1x2 + 0.3*x3x4x5 + 1.5*x2x5", n);
        double sum = 0, sumSq = 0;
        float[] x = new float[n];
        for (int mask = 0; mask < 1 << n; mask++) {
            for (int i = 0; i < n; i++) x[i] = (mask >>> i & 1) != 0 ? -1f : 1f;
            double v = h.value(x, 0);
            sum += v;
            sumSq += v * v;
        }
        double mean = sum / (1 << n);
        assertEquals(h.variance(), sumSq / (1 << n) - mean * mean, 1e-5);
        assertEquals(h.secondMoment(), sumSq / (1 << n), 1e-5);
    }

    @Test
    void binaryOnlyForOneUnitMonomial() {
        assertTrue(Monomials.parse("x1x2", 3).binary());
        assertTrue(Monomials.parse("-x3", 3).binary());
        assertFalse(Monomials.parse("2*x1", 3).binary());
        assertFalse(Monomials.parse("x1 + x2", 3).binary());
        assertFalse(Monomials.parse("0", 3).binary());
    }

    @Test
    void describeIsOneReadableLine() {
        assertEquals("monomials n=30 x1 + x1*x2 - 0.5*x3 + 2 leap=1", Monomials.parse("x1 + x1x2 - 0.5x3 + 2", 30).describe());
        assertEquals("monomials n=3 -x2 leap=1", Monomials.parse("-x2", 3).describe());
        assertEquals("monomials n=3 0 leap=0", Monomials.parse("0", 3).describe());
    }

    /** The printed formula parses back to the same function (to 6 digits). */
    @Test
    void formulaParsesBack() {
        Monomials h = Monomials.parse("-0.125*x3 + 1e-7*x1x2 + 12345678*x4 - 1", 4);
        Monomials again = Monomials.parse(h.formula(), 4);
        assertEquals(h.size(), again.size());
        for (int m = 0; m < h.size(); m++) {
            assertArrayEquals(h.monomials().get(m), again.monomials().get(m));
            assertEquals(h.coefficients()[m], again.coefficients()[m], 1e-6 * Math.abs(h.coefficients()[m]));
        }
    }

    @Test
    void accessorsReturnCopies() {
        Monomials h = Monomials.parse("x1x2", 3);
        h.monomials().get(0)[0] = 2;
        h.coefficients()[0] = 5;
        assertArrayEquals(new int[] {0, 1}, h.monomials().get(0));
        assertArrayEquals(new double[] {1}, h.coefficients());
    }

    @Test
    void prefixesAreTheStaircaseSupports() {
        List<int[]> p = Monomials.prefixes(3);
        assertEquals(4, p.size());
        assertArrayEquals(new int[] {}, p.get(0));
        assertArrayEquals(new int[] {0}, p.get(1));
        assertArrayEquals(new int[] {0, 1}, p.get(2));
        assertArrayEquals(new int[] {0, 1, 2}, p.get(3));
        assertEquals(1, Monomials.prefixes(0).size());
        assertThrows(UsageException.class, () -> Monomials.prefixes(-1));
    }

    @Test
    void ofValidatesSupports() {
        assertThrows(UsageException.class, () -> Monomials.of(3, List.of(new int[] {3}), new double[] {1}));
        assertThrows(UsageException.class, () -> Monomials.of(3, List.of(new int[] {1, 1}), new double[] {1}));
        assertThrows(UsageException.class, () -> Monomials.of(3, List.of(new int[] {1}), new double[] {1, 2}));
        assertThrows(UsageException.class, () -> Monomials.of(3, List.of(new int[] {1}), new double[] {Double.NaN}));
    }

    /** Popcount labels equal the dense products, on supports that straddle word boundaries. */
    @ParameterizedTest
    @ValueSource(ints = {1, 63, 64, 65, 130})
    void packedLabelsMatchDenseValues(int n) {
        var rng = new SplittableRandom(n);
        int batch = 101;
        Inputs packed = Inputs.bits(n, batch);
        float[] y = new float[batch];
        float[] yInputs = new float[batch];
        for (int trial = 0; trial < 20; trial++) {
            Monomials h = randomTarget(n, rng);
            packed.bits().fillUniform(rng);
            packed.changed();
            h.labels(packed.bits(), y);
            Inputs dense = Inputs.dense(n, batch);
            System.arraycopy(packed.dense(), 0, dense.dense(), 0, n * batch);
            h.labels(dense, yInputs);
            for (int b = 0; b < batch; b++) {
                float[] x = packed.bits().get(b);
                assertEquals(h.value(x, 0), y[b], h.describe() + " sample " + b);
                assertEquals(byHand(h, x), y[b], 1e-5, h.describe() + " sample " + b);
                assertEquals(y[b], yInputs[b], "dense Inputs path, sample " + b);
            }
        }
    }

    @Test
    void labelsRejectAnotherN() {
        assertThrows(IllegalArgumentException.class, () -> Monomials.parse("x1", 3).labels(new BitBatch(4, 2), new float[2]));
    }

    private static Monomials randomTarget(int n, SplittableRandom rng) {
        int count = 1 + rng.nextInt(6);
        List<int[]> supports = new ArrayList<>();
        double[] c = new double[count];
        for (int m = 0; m < count; m++) {
            supports.add(randomSubset(n, rng.nextInt(Math.min(n, 5) + 1), rng));
            c[m] = rng.nextDouble(-2, 2);
        }
        return Monomials.of(n, supports, c);
    }

    private static double byHand(Monomials h, float[] x) {
        double sum = 0;
        double[] c = h.coefficients();
        List<int[]> s = h.monomials();
        for (int m = 0; m < c.length; m++) {
            double prod = c[m];
            for (int i : s.get(m)) prod *= x[i];
            sum += prod;
        }
        return sum;
    }

    static int[] randomSubset(int n, int k, SplittableRandom rng) {
        return k == 0 ? new int[0] : SparseParity.random(n, k, rng).secret();
    }

    private static int bruteForceLeap(List<int[]> supports, int n) {
        int[] order = new int[supports.size()];
        for (int m = 0; m < order.length; m++) order[m] = m;
        return bestOver(order, 0, supports, n);
    }

    /** Min over the permutations of order[from..] of the max new coordinates (Heap-free recursive swap). */
    private static int bestOver(int[] order, int from, List<int[]> supports, int n) {
        if (from == order.length) return leapOfOrder(order, supports, n);
        int best = Integer.MAX_VALUE;
        for (int j = from; j < order.length; j++) {
            swap(order, from, j);
            best = Math.min(best, bestOver(order, from + 1, supports, n));
            swap(order, from, j);
        }
        return best;
    }

    private static int leapOfOrder(int[] order, List<int[]> supports, int n) {
        boolean[] covered = new boolean[n];
        int leap = 0;
        for (int m : order) {
            int fresh = 0;
            for (int i : supports.get(m)) if (!covered[i]) fresh++;
            for (int i : supports.get(m)) covered[i] = true;
            leap = Math.max(leap, fresh);
        }
        return leap;
    }

    private static void swap(int[] a, int i, int j) {
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}
