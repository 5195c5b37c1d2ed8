package bitsgd.harness.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Fmt prints what String.format(Locale.ROOT, ...) prints, on edge values and on random ones over many magnitudes. */
class FmtTest {

    static void same(double v) {
        for (int d = 0; d <= 4; d++) assertEquals(String.format(Locale.ROOT, "%." + d + "f", v), Fmt.fixed(v, d), "%." + d + "f of " + v);
        for (int d = 1; d <= 5; d++) assertEquals(String.format(Locale.ROOT, "%." + d + "g", v), Fmt.sig(v, d), "%." + d + "g of " + v);
        assertEquals(String.format(Locale.ROOT, "%.0f", v), Fmt.whole(v));
    }

    @Test
    void matchesStringFormat() {
        for (double v : new double[] {0, -0.0, 1, -1, 0.5, 1.5, 2.5, 2.675, 0.125, 9.9995, 99999.5, 1e-4, 9.99995e-5, 1e-5, 12345.678,
                123456789, 1e300, -3.14159, 0.42021, 4921.4, Double.MIN_VALUE, Double.MAX_VALUE}) {
            same(v);
        }
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < 20_000; i++) same((rng.nextBoolean() ? 1 : -1) * rng.nextDouble() * Math.pow(10, rng.nextInt(-9, 12)));
    }

    @Test
    void nonFiniteValues() {
        assertEquals("NaN", Fmt.fixed(Double.NaN, 3));
        assertEquals("Infinity", Fmt.sig(Double.POSITIVE_INFINITY, 4));
        assertEquals("-Infinity", Fmt.whole(Double.NEGATIVE_INFINITY));
    }
}
