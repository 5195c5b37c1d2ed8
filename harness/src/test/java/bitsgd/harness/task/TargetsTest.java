package bitsgd.harness.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsgd.harness.UsageException;
import bitsgd.kernel.bits.BitBatch;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TargetsTest {
    private static final float R3 = (float) Math.sqrt(3);

    /** S_3 = (x1 + x1x2 + x1x2x3)/√3 on a few inputs, worked out by hand; x4, x5 do not matter. */
    @ParameterizedTest(name = "S_3{0} = {1}")
    @CsvSource(delimiter = ';', value = {
        "+1 +1 +1 +1 +1;  3",    // (1 + 1 + 1)
        "-1 +1 +1 +1 +1; -3",    // (−1 − 1 − 1)
        "+1 -1 +1 +1 +1; -1",    // (1 − 1 − 1)
        "+1 +1 -1 +1 +1;  1",    // (1 + 1 − 1)
        "-1 -1 +1 -1 -1;  1",    // (−1 + 1 + 1)
        "-1 -1 -1 +1 -1; -1",    // (−1 + 1 − 1)
    })
    void staircaseThreeByHand(String signs, int timesRoot3) {
        float[] x = parseSigns(signs);
        Target s3 = Targets.parse("staircase:3", 5, 0, null, null);
        float expected = timesRoot3 / R3;
        assertEquals(expected, s3.value(x, 0), 1e-6);
        BitBatch batch = new BitBatch(5, 1);
        batch.set(0, x);
        float[] y = new float[1];
        s3.labels(batch, y);
        assertEquals(expected, y[0], 1e-6);
    }

    @Test
    void staircaseShape() {
        Monomials s = (Monomials) Targets.parse("staircase:10", 30, 0, null, null);
        assertEquals(10, s.size());
        for (int j = 0; j < 10; j++) assertArrayEquals(Monomials.range(0, j + 1), s.monomials().get(j));
        assertEquals(1.0, s.variance(), 1e-12);
        assertEquals(1, s.leap());
        assertFalse(s.binary());
        assertEquals("staircase:2 n=4 0.707107*x1 + 0.707107*x1*x2 leap=1", Targets.staircase(4, 2).describe());
    }

    /** chi:d and monomials:x1*…*xd are the same function as a SparseParity on {0..d−1}. */
    @Test
    void chiIsAPrefixParity() {
        Target chi = Targets.parse("chi:4", 10, 0, null, null);
        SparseParity p = assertInstanceOf(SparseParity.class, chi);
        assertArrayEquals(new int[] {0, 1, 2, 3}, p.secret());
        assertTrue(chi.binary());
        assertEquals(4, Targets.monomialsOf(chi).orElseThrow().leap());
    }

    /** A random parity and the monomial spelling of its support label every sample alike. */
    @Test
    void parityAgreesWithItsMonomialSpec() {
        var rng = new SplittableRandom(5);
        for (int n : new int[] {7, 64, 100}) {
            for (int k = 1; k <= 5; k++) {
                SparseParity p = (SparseParity) Targets.parse("parity", n, k, null, rng);
                String spec = Arrays.stream(p.secret()).mapToObj(i -> "x" + (i + 1)).collect(Collectors.joining("*"));
                Target m = Targets.parse("monomials:" + spec, n, 0, null, null);
                assertTrue(m.binary());
                BitBatch x = new BitBatch(n, 200);
                x.fillUniform(rng);
                float[] yp = new float[200], ym = new float[200];
                p.labels(x, yp);
                m.labels(x, ym);
                assertArrayEquals(yp, ym, p.describe() + " vs " + m.describe());
                for (int b = 0; b < 200; b++) assertEquals(yp[b], p.value(x.get(b), 0));
            }
        }
    }

    /** Same seed, same secret as SparseParity.random: old runs stay reproducible; --secret wins when given. */
    @Test
    void parityDrawsLikeBefore() {
        SparseParity viaTargets = (SparseParity) Targets.parse(null, 50, 3, null, new SplittableRandom(9));
        assertArrayEquals(SparseParity.random(50, 3, new SplittableRandom(9)).secret(), viaTargets.secret());
        SparseParity fixed = (SparseParity) Targets.parse("parity", 50, 3, List.of(4, 1, 7), null);
        assertArrayEquals(new int[] {1, 4, 7}, fixed.secret());
        assertArrayEquals(new int[] {1, 4}, ((SparseParity) Targets.parse("parity", 50, 0, List.of(4, 1), null)).secret());
    }

    @Test
    void doubleStaircaseUsesSharedX1ThenFreshCoordinates() {
        Monomials h = (Monomials) Targets.parse("double-staircase:3,3", 6, 0, null, null);
        // S'_3(x1,x2,x3) + S'_3(x1,x4,x5) − x1 with unnormalised staircases: x1 merged to 1 + 1 − 1
        int[][] expected = {{0}, {0, 1}, {0, 1, 2}, {0, 3}, {0, 3, 4}};
        assertEquals(expected.length, h.size(), h.describe());
        for (int m = 0; m < expected.length; m++) assertArrayEquals(expected[m], h.monomials().get(m), h.describe());
        assertArrayEquals(new double[] {1, 1, 1, 1, 1}, h.coefficients(), 1e-12);
        assertEquals(1, h.leap());
        assertEquals(1, Targets.doubleStaircase(30, 7, 7).leap());
        assertEquals(13, Targets.doubleStaircase(30, 7, 7).size());
        assertEquals(h.describe(), Targets.doubleStaircase(6, 3, 3).describe());
        assertTrue(h.describe().startsWith("double-staircase:3,3 n=6 "), h.describe());
    }

    @Test
    void majorityAndMonomialsByName() {
        assertInstanceOf(Majority.class, Targets.parse("majority", 31, 0, null, null));
        Target m = Targets.parse(" monomials: x1 + x2x3 ", 3, 0, null, null);
        assertEquals("monomials n=3 x1 + x2*x3 leap=2", m.describe());
        assertTrue(Targets.monomialsOf(Targets.parse("majority", 3, 0, null, null)).isEmpty());
    }

    @Test
    void monomialsOfAParityIsOneUnitMonomial() {
        Monomials m = Targets.monomialsOf(SparseParity.of(9, 8, 2)).orElseThrow();
        assertEquals(1, m.size());
        assertArrayEquals(new int[] {2, 8}, m.monomials().get(0));
        assertArrayEquals(new double[] {1}, m.coefficients());
    }

    /** Every bad --target: a UsageException with one line naming the problem. */
    @ParameterizedTest(name = "[{0}] n={1}")
    @CsvSource(delimiter = ';', value = {
        "sparse;                  30; unknown target 'sparse': expected one of parity",
        "'';                      30; unknown target ''",
        "staircase;               30; staircase needs a degree",
        "staircase:0;             30; staircase degree must be in [1, n=30], got 0",
        "staircase:31;            30; staircase degree must be in [1, n=30], got 31",
        "staircase:abc;           30; staircase: 'abc' is not an integer degree",
        "chi:-2;                  30; chi degree must be in [1, n=30], got -2",
        "chi:;                    30; chi: '' is not an integer degree",
        "double-staircase:7;      30; double-staircase needs two degrees, e.g. double-staircase:7,7; got '7'",
        "double-staircase;        30; double-staircase needs two degrees",
        "double-staircase:7,7,1;  30; double-staircase needs two degrees",
        "double-staircase:20,20;  30; double-staircase:20,20 uses x1..x39 but n=30",
        "double-staircase:0,3;    30; double-staircase first degree must be in [1, n=30], got 0",
        "majority;                30; majority needs an odd n >= 1 (no ties), got n=30",
        "majority:3;              31; majority takes no arguments, got 'majority:3'",
        "parity:3;                30; parity takes no arguments",
        "monomials:x1 + x0;       30; has x0 at position 6",
        "monomials:;              30; is empty",
    })
    void badTargets(String spec, int n, String fragment) {
        UsageException e = assertThrows(UsageException.class, () -> Targets.parse(spec, n, 3, null, new SplittableRandom(0)));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void secretOnlyWithParity() {
        UsageException e = assertThrows(UsageException.class, () -> Targets.parse("staircase:3", 30, 0, List.of(0), null));
        assertEquals("--secret only applies to --target parity, not staircase", e.getMessage());
        e = assertThrows(UsageException.class, () -> Targets.parse("parity", 30, 2, List.of(0, 1, 2), null));
        assertEquals("--secret has 3 indices but --k is 2", e.getMessage());
    }

    static float[] parseSigns(String signs) {
        String[] parts = signs.strip().split("\\s+");
        float[] x = new float[parts.length];
        for (int i = 0; i < parts.length; i++) x[i] = Float.parseFloat(parts[i]);
        return x;
    }
}
