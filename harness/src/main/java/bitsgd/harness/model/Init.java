package bitsgd.harness.model;

import bitsgd.kernel.mlp.Mlp2;
import java.util.random.RandomGenerator;

/** Parameter initialisations. */
public final class Init {
    private Init() {}

    /**
     * PyTorch's default for {@code nn.Linear} (kaiming_uniform with a = √5, which reduces to
     * U(−1/√fan_in, 1/√fan_in) for the weights, and the same bound for the bias):
     * W, b ~ U(−1/√n, 1/√n); a, c ~ U(−1/√h, 1/√h). Drawn in the order W (input-major), b, a, c.
     */
    public static void pytorchDefault(Mlp2 net, RandomGenerator rng) {
        float b1 = (float) (1.0 / Math.sqrt(net.n));
        float b2 = (float) (1.0 / Math.sqrt(net.h));
        uniform(net.w, b1, rng);
        uniform(net.b, b1, rng);
        uniform(net.a, b2, rng);
        net.c = symmetric(b2, rng);
    }

    /**
     * The sign-vector init of the theory check (PROTOCOLS.md §A): W_ij = 1 (every neuron's weight vector is
     * the all-ones sign vector), b_j = 0, a_j = 1, c = 0. With ReLU, odd n and the correlation loss, ∂/∂W_ij is
     * then exactly −½ times a Fourier coefficient of Maj_n. Deterministic: no randomness is drawn.
     */
    public static void sign(Mlp2 net) {
        java.util.Arrays.fill(net.w, 1f);
        java.util.Arrays.fill(net.b, 0f);
        java.util.Arrays.fill(net.a, 1f);
        net.c = 0f;
    }

    private static void uniform(float[] p, float bound, RandomGenerator rng) {
        for (int k = 0; k < p.length; k++) p[k] = symmetric(bound, rng);
    }

    private static float symmetric(float bound, RandomGenerator rng) {
        return (float) ((2.0 * rng.nextDouble() - 1.0) * bound);
    }
}
