package bitsgd.kernel.popgrad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import bitsgd.kernel.Kernels;
import bitsgd.kernel.mlp.Loss;
import bitsgd.kernel.mlp.Mlp2;
import java.math.BigInteger;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class PopGradTest {

    /**
     * Exact vs brute force: |Δ| ≤ TOL · max(1, max|∂|) on every entry, loss to TOL relative, accuracy exactly; the gap is
     * float rounding of z and f. Cases cover every loss, noise 0 / 0.1 / 0.5, and low blocks L from 2 (with mid and
     * top high bits) to n (a single block).
     */
    static final double TOL = 1e-6;

    static Mlp2 randomNet(int n, int h, long seed) {
        return new Mlp2(n, h).initUniform(new SplittableRandom(seed));
    }

    static double dval(Loss l, double y, double f) {
        return switch (l) {
            case HINGE -> Math.max(0, 1 - y * f);
            case SQUARE -> (y - f) * (y - f);
            case LOGISTIC -> Math.log1p(Math.exp(-y * f));
            case CORRELATION -> -y * f;
        };
    }

    static double dder(Loss l, double y, double f) {
        return switch (l) {
            case HINGE -> y * f <= 1 ? -y : 0;
            case SQUARE -> 2 * (f - y);
            case LOGISTIC -> -y / (1 + Math.exp(y * f));
            case CORRELATION -> -y;
        };
    }

    /** Per input, everything in double: the definition, no tables. */
    static PopGrad bruteForce(Mlp2 net, PopTarget t, Loss loss, double flip) {
        int n = net.n, h = net.h;
        double[] gw = new double[n * h], gb = new double[h], ga = new double[h], z = new double[h];
        double gc = 0, ls = 0, correct = 0;
        for (long u = 0; u < 1L << n; u++) {
            double f = net.c;
            for (int j = 0; j < h; j++) {
                double s = net.b[j];
                for (int i = 0; i < n; i++) s += ((u >>> i & 1) != 0 ? -1 : 1) * (double) net.w[i * h + j];
                z[j] = s;
                f += net.a[j] * Math.max(s, 0);
            }
            double y = t.label(u);
            if (y * f > 0) correct++;
            double g = (1 - flip) * dder(loss, y, f) + flip * dder(loss, -y, f);
            ls += (1 - flip) * dval(loss, y, f) + flip * dval(loss, -y, f);
            gc += g;
            for (int j = 0; j < h; j++) {
                if (z[j] > 0) {
                    double d = g * net.a[j];
                    gb[j] += d;
                    for (int i = 0; i < n; i++) gw[i * h + j] += (u >>> i & 1) != 0 ? -d : d;
                }
                ga[j] += g * Math.max(z[j], 0);
            }
        }
        double inv = Math.scalb(1.0, -n);
        for (int k = 0; k < gw.length; k++) gw[k] *= inv;
        for (int j = 0; j < h; j++) {
            gb[j] *= inv;
            ga[j] *= inv;
        }
        return new PopGrad(n, h, gw, gb, ga, gc * inv, ls * inv, correct * inv, "brute");
    }

    static void assertClose(PopGrad want, PopGrad got, double tol, String what) {
        double scale = Math.max(1, want.maxAbs());
        double diff = want.maxAbsDiff(got);
        assertTrue(diff <= tol * scale, what + ": max |Δ| = " + diff + " > " + tol + " · " + scale);
        assertEquals(want.loss(), got.loss(), tol * Math.max(1, Math.abs(want.loss())), what + ": loss");
        assertEquals(want.accuracy(), got.accuracy(), 0.0, what + ": accuracy");
    }

    static Stream<Arguments> bruteCases() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (Loss l : Loss.values()) {
            b.add(Arguments.of(l, 5, 7, 0.0, 3));
            b.add(Arguments.of(l, 9, 17, 0.0, 4));
            b.add(Arguments.of(l, 12, 9, 0.0, 6));
            b.add(Arguments.of(l, 10, 8, 0.1, 5));
            b.add(Arguments.of(l, 8, 1, 0.5, 8));
            b.add(Arguments.of(l, 12, 3, 0.0, 2)); // 10 high bits: 6 mid (table F) + 4 top
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0} n={1} h={2} flip={3} L={4}")
    @MethodSource("bruteCases")
    void exactEqualsBruteForce(Loss loss, int n, int h, double flip, int lowBits) {
        Mlp2 net = randomNet(n, h, 31L * n + h);
        PopTarget t = PopTarget.parity(n, 0, n / 2, n - 1);
        PopGrad want = bruteForce(net, t, loss, flip);
        assertClose(want, Enumeration.run("scalar", ScalarPopGradKernels.INSTANCE, net, t, loss, flip, lowBits), TOL, "scalar");
        assertClose(want, ScalarPopGradKernels.INSTANCE.compute(net, t, loss, flip), TOL, "scalar, default L");
        if (Kernels.vectorAvailable()) {
            VectorPopGradKernels v = (VectorPopGradKernels) PopGrads.vector();
            assertClose(want, Enumeration.run("vector", v, net, t, loss, flip, lowBits), TOL, "vector");
            assertClose(want, v.compute(net, t, loss, flip), TOL, "vector, default L");
        }
    }

    @Test
    void majorityTarget() {
        Mlp2 net = randomNet(9, 5, 3);
        PopTarget t = PopTarget.majority(9);
        assertClose(bruteForce(net, t, Loss.HINGE, 0), PopGrads.get().compute(net, t, Loss.HINGE, 0), TOL, "majority");
    }

    static Stream<Arguments> awkwardShapes() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (int n : new int[] {1, 2, 7, 8, 9, 13, 17}) {
            for (int h : new int[] {1, 7, 8, 9, 17, 100}) b.add(Arguments.of(n, h));
        }
        return b.build();
    }

    /** Scalar vs vector agree within 1e-5 · max(1, max|∂|) (float sums in a different order). */
    @ParameterizedTest(name = "n={0} h={1}")
    @MethodSource("awkwardShapes")
    void scalarAndVectorAgree(int n, int h) {
        assumeTrue(Kernels.vectorAvailable(), "vector kernels unavailable");
        Mlp2 net = randomNet(n, h, 7L * n + 13L * h);
        PopTarget t = PopTarget.parity(n, n == 1 ? new int[] {0} : new int[] {0, n - 1});
        for (Loss l : Loss.values()) {
            PopGrad s = PopGrads.scalar().compute(net, t, l, 0.0);
            PopGrad v = PopGrads.vector().compute(net, t, l, 0.0);
            double diff = s.maxAbsDiff(v), scale = Math.max(1, s.maxAbs());
            assertTrue(diff <= 1e-5 * scale, l + ": scalar vs vector max |Δ| = " + diff);
            assertEquals(s.accuracy(), v.accuracy(), 1e-6, l + " accuracy");
            assertEquals(s.loss(), v.loss(), 1e-5 * Math.max(1, Math.abs(s.loss())), l + " loss");
        }
    }

    /** \hat{Maj_n}(T) for |T| = d: 0 for even d, else (−1)^{(d−1)/2} C(m,(d−1)/2)/C(n−1,d−1) · C(n−1,m) · 2^{1−n}, m = (n−1)/2. */
    static double majFourier(int n, int d) {
        if ((d & 1) == 0) return 0;
        int m = (n - 1) / 2, t = (d - 1) / 2;
        double v = binom(m, t).doubleValue() / binom(n - 1, d - 1).doubleValue() * binom(n - 1, m).doubleValue() * Math.scalb(1.0, 1 - n);
        return (t & 1) == 0 ? v : -v;
    }

    static BigInteger binom(int n, int k) {
        BigInteger r = BigInteger.ONE;
        for (int i = 0; i < k; i++) r = r.multiply(BigInteger.valueOf(n - i)).divide(BigInteger.valueOf(i + 1));
        return r;
    }

    static Stream<Arguments> majorityCases() {
        return Stream.of(Arguments.of(15, 2), Arguments.of(15, 4), Arguments.of(17, 2), Arguments.of(17, 4),
                Arguments.of(19, 4), Arguments.of(21, 2), Arguments.of(21, 4));
    }

    /**
     * The theory check (docs/protocols.md §A): W = 1, b = 0, a = 1, c = 0, correlation loss, y = χ_S with |S| = k even:
     * ∂/∂W_i = −½ \hat{Maj_n}(S Δ {i}), degree k−1 on S and k+1 off S, and the ratio is (n−k)/(k−1).
     * Exact up to double rounding: with integer z every float sum here is exact.
     */
    @ParameterizedTest(name = "n={0} k={1}")
    @MethodSource("majorityCases")
    void majorityIdentity(int n, int k) {
        int h = 3;
        Mlp2 net = new Mlp2(n, h);
        java.util.Arrays.fill(net.w, 1f);
        java.util.Arrays.fill(net.a, 1f);
        int[] s = new int[k];
        for (int i = 0; i < k; i++) s[i] = 2 * i + 1;
        PopTarget t = PopTarget.parity(n, s);
        PopGrad g = PopGrads.get().compute(net, t, Loss.CORRELATION, 0);
        double on = -0.5 * majFourier(n, k - 1), off = -0.5 * majFourier(n, k + 1);
        for (int i = 0; i < n; i++) {
            boolean rel = (t.mask() >>> i & 1) != 0;
            for (int j = 0; j < h; j++) assertEquals(rel ? on : off, g.w(i, j), 1e-12, "i=" + i + " j=" + j);
        }
        double ratio = Math.abs(g.w(s[0], 0)) / Math.abs(g.w(0, 0));
        assertEquals((double) (n - k) / (k - 1), ratio, 1e-9);
    }

    /** The closed form alone, where enumeration would take 2^31 inputs per neuron (minutes): exact rationals. */
    @Test
    void majorityRatioClosedFormAtN31() {
        for (int k : new int[] {2, 4}) {
            int n = 31;
            double ratio = Math.abs(majFourier(n, k - 1)) / Math.abs(majFourier(n, k + 1));
            assertEquals((double) (n - k) / (k - 1), ratio, 1e-12);
        }
        // Maj_3 = ½(x1 + x2 + x3) − ½ x1x2x3, a hand-checked case of the formula
        assertEquals(0.5, majFourier(3, 1), 0);
        assertEquals(-0.5, majFourier(3, 3), 0);
    }

    /** CI (-Dbitsgd.requireVector=true): a silent fallback to the scalar popgrad kernels fails the build. */
    @Test
    void providerPicksVectorWhenRequired() {
        assumeTrue(Boolean.getBoolean("bitsgd.requireVector"), "not required here");
        assertTrue(PopGrads.get().name().startsWith("vector"), PopGrads.selection());
    }

    @Test
    void memoryIsIndependentOfTwoToTheN() {
        assertTrue(PopGrads.bytesNeeded(24, 100) < 2_000_000, "n=24 h=100: " + PopGrads.bytesNeeded(24, 100));
        assertTrue(PopGrads.bytesNeeded(28, 1000) < 8_000_000, "n=28 h=1000: " + PopGrads.bytesNeeded(28, 1000));
    }

    @Test
    void badArguments() {
        Mlp2 net = randomNet(6, 2, 1);
        assertThrows(IllegalArgumentException.class, () -> PopGrads.get().compute(net, PopTarget.parity(7, 0), Loss.HINGE, 0));
        assertThrows(IllegalArgumentException.class, () -> PopGrads.get().compute(net, PopTarget.parity(6, 0), Loss.HINGE, 1.5));
        assertThrows(IllegalArgumentException.class, () -> PopTarget.majority(6));
    }
}
