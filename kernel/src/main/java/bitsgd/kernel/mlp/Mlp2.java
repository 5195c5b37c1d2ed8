package bitsgd.kernel.mlp;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Parameters of the 2-layer network f(x) = Σ_j a_j σ(z_j) + c with z_j = b_j + Σ_i W_ij x_i, and its
 * {@link Activation} σ (ReLU unless given).
 *
 * <pre>
 * W is stored input-major, so every inner loop runs over hidden units j:
 *
 *   w[i·h + j] = W_ij        row i (h floats) = the weights leaving input i
 *   ┌───────────── h ─────────────┐
 *   │ W_00 W_01 … W_0(h−1)        │  input 0
 *   │ W_10 W_11 …                 │  input 1
 *   │ …                           │  … n rows
 *   └─────────────────────────────┘
 * </pre>
 */
public final class Mlp2 {
    public final int n;
    public final int h;
    /** First-layer weights, input-major: {@code w[i*h + j]}. */
    public final float[] w;
    /** First-layer biases b_j. */
    public final float[] b;
    /** Second-layer weights a_j. */
    public final float[] a;
    /** Output bias. */
    public float c;
    /** σ: ReLU or z^k. */
    public final Activation activation;

    /** A ReLU net of zeros. */
    public Mlp2(int n, int h) {
        this(n, h, Activation.RELU);
    }

    /** A net of zeros with activation σ. */
    public Mlp2(int n, int h, Activation activation) {
        if (activation == null) throw new IllegalArgumentException("activation is null");
        if (n < 1) throw new IllegalArgumentException("n must be >= 1, got " + n);
        if (h < 1) throw new IllegalArgumentException("width must be >= 1, got " + h);
        this.n = n;
        this.h = h;
        this.w = new float[Math.multiplyExact(n, h)];
        this.b = new float[h];
        this.a = new float[h];
        this.activation = activation;
    }

    /**
     * PyTorch's {@code nn.Linear} default, U(−1/√fan_in, 1/√fan_in) for weights and biases:
     * W, b ~ U(±1/√n); a, c ~ U(±1/√h). Drawn in the order W (input-major), b, a, c.
     */
    public Mlp2 initUniform(RandomGenerator rng) {
        float b1 = (float) (1.0 / Math.sqrt(n)), b2 = (float) (1.0 / Math.sqrt(h));
        for (int k = 0; k < w.length; k++) w[k] = symmetric(b1, rng);
        for (int j = 0; j < h; j++) b[j] = symmetric(b1, rng);
        for (int j = 0; j < h; j++) a[j] = symmetric(b2, rng);
        c = symmetric(b2, rng);
        return this;
    }

    private static float symmetric(float bound, RandomGenerator rng) {
        return (float) ((2.0 * rng.nextDouble() - 1.0) * bound);
    }

    public Mlp2 copy() {
        Mlp2 m = new Mlp2(n, h, activation);
        System.arraycopy(w, 0, m.w, 0, w.length);
        System.arraycopy(b, 0, m.b, 0, h);
        System.arraycopy(a, 0, m.a, 0, h);
        m.c = c;
        return m;
    }

    /** Number of trainable parameters: n·h + 2h + 1. */
    public long parameterCount() {
        return (long) n * h + 2L * h + 1;
    }

    /** True ⇔ every parameter has the same bits (the determinism check). */
    public boolean bitEquals(Mlp2 o) {
        return n == o.n && h == o.h && activation.equals(o.activation) && Arrays.equals(w, o.w) && Arrays.equals(b, o.b)
                && Arrays.equals(a, o.a) && Float.floatToIntBits(c) == Float.floatToIntBits(o.c);
    }

    /** Largest |p − q| over all parameters of two nets of the same shape. */
    public float maxAbsDiff(Mlp2 o) {
        if (n != o.n || h != o.h) throw new IllegalArgumentException("shapes differ");
        float d = Math.abs(c - o.c);
        for (int k = 0; k < w.length; k++) d = Math.max(d, Math.abs(w[k] - o.w[k]));
        for (int j = 0; j < h; j++) {
            d = Math.max(d, Math.abs(b[j] - o.b[j]));
            d = Math.max(d, Math.abs(a[j] - o.a[j]));
        }
        return d;
    }
}
