package bitsgd.kernel.mlp;

/**
 * The hidden-unit nonlinearity σ of an {@link Mlp2} (docs/protocols.md §A, Barak et al. 2022 architectures i–vi).
 *
 * <ul>
 *   <li>{@link #RELU}: σ(z) = max(z, 0), σ'(z) = [z > 0] (the subgradient 0 at z = 0, as PyTorch).</li>
 *   <li>{@link #pow(int) pow(k)}: σ(z) = z^k, σ'(z) = k·z^{k−1}, k ≥ 1.</li>
 * </ul>
 *
 * <p>z^{k−1} is always the left-to-right product 1·z·z·…·z (k−1 factors, {@link #powM1}), in every kernel,
 * so scalar and vector code multiply the same floats in the same order; z^k = z^{k−1}·z.
 *
 * @param kind   RELU or POW
 * @param degree k for POW; 0 for RELU
 */
public record Activation(Kind kind, int degree) {

    public enum Kind { RELU, POW }

    public static final Activation RELU = new Activation(Kind.RELU, 0);

    public Activation {
        if (kind == null) throw new IllegalArgumentException("activation kind is null");
        if (kind == Kind.RELU && degree != 0) throw new IllegalArgumentException("relu has no degree, got " + degree);
        if (kind == Kind.POW && degree < 1) throw new IllegalArgumentException("degree of z^k must be >= 1, got " + degree);
    }

    /** σ(z) = z^k. */
    public static Activation pow(int k) {
        return new Activation(Kind.POW, k);
    }

    public boolean isRelu() {
        return kind == Kind.RELU;
    }

    /** σ(z). */
    public float value(float z) {
        return kind == Kind.RELU ? Math.max(z, 0f) : powM1(z, degree) * z;
    }

    /** σ'(z). */
    public float derivative(float z) {
        return kind == Kind.RELU ? (z > 0f ? 1f : 0f) : degree * powM1(z, degree);
    }

    /** z^{k−1} as 1·z·…·z, left to right (k−1 multiplies): the exact order the vector kernels use. */
    public static float powM1(float z, int k) {
        float p = 1f;
        for (int i = 1; i < k; i++) p *= z;
        return p;
    }

    /** {@code relu} or {@code pow3}. */
    @Override
    public String toString() {
        return kind == Kind.RELU ? "relu" : "pow" + degree;
    }
}
