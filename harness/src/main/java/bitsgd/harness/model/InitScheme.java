package bitsgd.harness.model;

import java.util.random.RandomGenerator;

/**
 * Random initialisations of a weight tensor with fan-in m (docs/protocols.md §A "Init"). Every model draws its
 * tensors in a fixed documented order, each entry from {@link #draw}.
 */
public enum InitScheme {
    /** PyTorch's nn.Linear default: U(−1/√m, 1/√m) for weights and biases. */
    UNIFORM,
    /** Kaiming normal (fan-in, ReLU gain): N(0, 2/m). */
    GAUSSIAN,
    /** ±c with equal probability, c = √(2/m): the Gaussian's scale with Bernoulli signs. */
    BERNOULLI;

    /** One entry of a tensor with fan-in {@code fanIn}. */
    public float draw(int fanIn, RandomGenerator rng) {
        return switch (this) {
            // the bound rounded to float first, exactly as Mlp2.initUniform (and the golden traces) draw it
            case UNIFORM -> (float) ((2.0 * rng.nextDouble() - 1.0) * (float) (1.0 / Math.sqrt(fanIn)));
            case GAUSSIAN -> (float) (rng.nextGaussian() * Math.sqrt(2.0 / fanIn));
            case BERNOULLI -> (float) ((rng.nextBoolean() ? 1.0 : -1.0) * Math.sqrt(2.0 / fanIn));
        };
    }

    /** Fills {@code t} with draws of fan-in {@code fanIn}, in index order. */
    public void fill(float[] t, int fanIn, RandomGenerator rng) {
        for (int i = 0; i < t.length; i++) t[i] = draw(fanIn, rng);
    }
}
