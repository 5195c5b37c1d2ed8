package bitsgd.kernel;

import java.util.SplittableRandom;

/** Inputs for the kernel tests. */
public final class TestArrays {
    private TestArrays() {}

    /** {@code len} floats uniform in [−1, 1) from {@code rng}. */
    public static float[] rand(int len, SplittableRandom rng) {
        float[] a = new float[len];
        for (int t = 0; t < len; t++) a[t] = (float) rng.nextDouble(-1, 1);
        return a;
    }
}
