package bitsgd.harness.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import bitsgd.harness.UsageException;
import bitsgd.harness.model.Inputs;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CoefficientsTest {

    /** Over all 2^n inputs the estimate is the exact Walsh coefficient: c_m on h's supports, 0 elsewhere. */
    @Test
    void exactOnTheWholeCube() {
        int n = 4;
        Monomials h = Monomials.parse("0.5 + x1 - 2*x1x3 + 0.25*x2x3x4", n);
        Inputs x = Inputs.bits(n, 1 << n);
        for (int mask = 0; mask < 1 << n; mask++) x.bits().rows()[mask] = mask; // one word per row
        x.changed();
        float[] f = new float[1 << n];
        h.labels(x, f);
        List<int[]> ts = new ArrayList<>(h.monomials());
        ts.add(new int[] {1});
        ts.add(new int[] {0, 1, 2, 3});
        double[] expected = {0.5, 1, -2, 0.25, 0, 0};
        assertArrayEquals(expected, Coefficients.estimate(x, f, ts), 1e-7);
        Inputs dense = denseCopy(x);
        assertArrayEquals(expected, Coefficients.estimate(dense, f, ts), 1e-7);
    }

    /** For f = S_10 on 60k uniform samples, f̂ of its own monomials ≈ 1/√10; each χ·f has variance ≤ E f² = 1. */
    @Test
    void staircaseRecoversItsCoefficientsFromSamples() {
        int n = 30, d = 10, samples = 60_000;
        Monomials s = Targets.staircase(n, d);
        Inputs x = Inputs.bits(n, samples);
        x.bits().fillUniform(new SplittableRandom(1));
        x.changed();
        float[] f = new float[samples];
        s.labels(x, f);
        double[] got = Coefficients.estimate(x, f, Monomials.prefixes(d));
        double tolerance = 5 / Math.sqrt(samples);
        assertEquals(0, got[0], tolerance, "constant");
        for (int j = 1; j <= d; j++) assertEquals(1 / Math.sqrt(d), got[j], tolerance, "f̂_{1:" + j + "}");
    }

    /** Gaussian inputs (dense path): the monomials stay orthonormal, so f̂_T ≈ c_T again. */
    @Test
    void denseGaussianInputs() {
        int n = 8, samples = 100_000;
        Monomials h = Monomials.parse("x1 + 0.5*x1x2 - 0.25*x3x4x5", n);
        Inputs x = Inputs.dense(n, samples);
        var rng = new SplittableRandom(2);
        float[] d = x.dense();
        for (int k = 0; k < d.length; k++) d[k] = (float) rng.nextGaussian();
        float[] f = new float[samples];
        h.labels(x, f);
        double[] got = Coefficients.estimate(x, f, h.monomials());
        // Var(f·χ_T) = E[f² χ_T²] ≤ Σ_m c_m² E[χ_m² χ_T²] ≤ 9·Σ c_m² (fourth moments 3 per shared coordinate)
        double tolerance = 5 * Math.sqrt(9 * h.secondMoment() / samples);
        assertArrayEquals(h.coefficients(), got, tolerance);
    }

    @Test
    void packedAndDenseAgreeOnTheSameSigns() {
        int n = 70, samples = 500;
        Inputs x = Inputs.bits(n, samples);
        x.bits().fillUniform(new SplittableRandom(3));
        x.changed();
        float[] f = new float[samples];
        var rng = new SplittableRandom(4);
        for (int b = 0; b < samples; b++) f[b] = (float) rng.nextGaussian();
        List<int[]> ts = List.of(new int[] {}, new int[] {69}, new int[] {3, 63, 64}, new int[] {0, 1, 65, 68});
        assertArrayEquals(Coefficients.estimate(denseCopy(x), f, ts), Coefficients.estimate(x, f, ts), 1e-12);
    }

    @Test
    void usesOnlyTheFirstSizeSamples() {
        Inputs x = Inputs.bits(3, 10);
        x.bits().fillUniform(new SplittableRandom(5));
        x.setSize(1);
        float[] f = {2f};
        double sign = x.get(0, 0);
        assertArrayEquals(new double[] {2, 2 * sign}, Coefficients.estimate(x, f, List.of(new int[] {}, new int[] {0})));
    }

    @Test
    void badMonomialsAndShortValuesAreRejected() {
        Inputs x = Inputs.bits(3, 4);
        assertThrows(UsageException.class, () -> Coefficients.estimate(x, new float[4], List.of(new int[] {3})));
        assertThrows(UsageException.class, () -> Coefficients.estimate(x, new float[4], List.of(new int[] {1, 1})));
        assertThrows(IllegalArgumentException.class, () -> Coefficients.estimate(x, new float[3], List.of(new int[] {0})));
    }

    private static Inputs denseCopy(Inputs x) {
        Inputs dense = Inputs.dense(x.n(), x.size());
        System.arraycopy(x.dense(), 0, dense.dense(), 0, x.n() * x.size());
        return dense;
    }
}
