package bitsgd.harness.task;

import bitsgd.harness.model.Inputs;
import java.util.List;

/**
 * Empirical Fourier–Walsh coefficients f̂_T = (1/B) Σ_b f(x_b) χ_T(x_b) over a sample set, e.g. the staircase
 * paper's f̂_{1:j} = E[f(x) x1⋯xj] for j = 0..d ({@link Monomials#prefixes(int)}). For the dense inputs of
 * docs/protocols.md §B (standardised biased bits, Gaussians) χ_T = ∏_{i∈T} x_i is still orthonormal.
 */
public final class Coefficients {
    private Coefficients() {}

    /**
     * One estimate per monomial (0-based supports, no repeats) from the first {@code x.size()} samples and
     * their values {@code f[0..size)}; packed inputs use popcounts, dense inputs plain products.
     */
    public static double[] estimate(Inputs x, float[] f, List<int[]> monomials) {
        int size = x.size();
        if (f.length < size) throw new IllegalArgumentException(f.length + " values for " + size + " samples");
        for (int[] t : monomials) Monomials.sortedChecked(x.n(), t); // indices in range, no repeats
        double[] sums = x.packed() ? packedSums(x, f, monomials) : denseSums(x, f, monomials);
        for (int m = 0; m < sums.length; m++) sums[m] /= size;
        return sums;
    }

    private static double[] packedSums(Inputs x, float[] f, List<int[]> monomials) {
        SupportMasks masks = new SupportMasks(monomials);
        long[] rows = x.bits().rows();
        int words = x.bits().words();
        double[] sums = new double[monomials.size()];
        for (int b = 0; b < x.size(); b++) {
            for (int m = 0; m < sums.length; m++) sums[m] += masks.sign(rows, b * words, m) * (double) f[b];
        }
        return sums;
    }

    private static double[] denseSums(Inputs x, float[] f, List<int[]> monomials) {
        float[] d = x.dense();
        int n = x.n();
        double[] sums = new double[monomials.size()];
        for (int b = 0; b < x.size(); b++) {
            for (int m = 0; m < sums.length; m++) {
                double prod = f[b];
                for (int i : monomials.get(m)) prod *= d[b * n + i];
                sums[m] += prod;
            }
        }
        return sums;
    }
}
