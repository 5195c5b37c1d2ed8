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
        net.initUniform(rng);
    }

    /**
     * The sign-vector init of the theory check (docs/protocols.md §A): W_ij = 1 (every neuron's weight vector is
     * the all-ones sign vector), b_j = 0, a_j = 1, c = 0. With ReLU, odd n and the correlation loss, ∂/∂W_ij is
     * then exactly −½ times a Fourier coefficient of Maj_n. Deterministic: no randomness is drawn.
     */
    public static void sign(Mlp2 net) {
        java.util.Arrays.fill(net.w, 1f);
        java.util.Arrays.fill(net.b, 0f);
        java.util.Arrays.fill(net.a, 1f);
        net.c = 0f;
    }
}
