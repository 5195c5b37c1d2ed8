package bitsgd.harness.model;

import bitsgd.kernel.mlp.Loss;

/**
 * A trainable network f(x; θ) on n inputs, trained by the one {@link bitsgd.harness.train.Trainer}.
 *
 * <p>Parameters come in groups ("layers", first layer first) so a per-layer learning rate is one
 * float per group. One SGD step on a batch of B samples with L = (1/B) Σ_b ℓ(y_b, f(x_b)):
 * θ_g ← θ_g − η_g (∂L/∂θ_g + λ θ_g) for every group g (torch.optim.SGD with weight_decay = λ).
 *
 * <p>A model owns its scratch memory (sized on first use), so it is not thread-safe: one model per run.
 */
public interface Model {

    /** One line, e.g. {@code mlp relu width=100 (vector-512)}. */
    String describe();

    /** Input dimension n. */
    int inputs();

    /** Number of parameter groups; a per-layer learning-rate array has this length. */
    int layers();

    /** Names of the parameter groups, e.g. {@code [first, second]}. */
    String[] layerNames();

    /**
     * One fused SGD step (forward, loss, backward, update) on the first {@code x.size()} samples.
     *
     * @param lr per-group learning rates, {@link #layers()} entries
     * @return the mean loss over the batch at the parameters before the update
     */
    float step(Inputs x, float[] y, Loss loss, float[] lr, float weightDecay);

    /**
     * The mean batch loss L = (1/B) Σ_b ℓ(y_b, f(x_b)) at the current parameters and its gradient ∂L/∂θ, without weight
     * decay, into {@code grad} (parameters() order); the model is unchanged.
     */
    float gradient(Inputs x, float[] y, Loss loss, float[] grad);

    /** f(x_b) for the first {@code x.size()} samples into {@code f[0..size)}. */
    void forward(Inputs x, float[] f);

    /** Number of trainable parameters. */
    long parameterCount();

    /** A copy of every parameter, in the model's documented order (determinism checks, traces, checkpoints). */
    float[] parameters();

    /** Sets every parameter from {@code p}, in {@link #parameters()} order (a saved model or checkpoint coming back). */
    void setParameters(float[] p);

    /** The parameters as named tensors, in {@link #parameters()} order: how model files and checkpoints store them. */
    java.util.List<Tensor> tensors();

    /**
     * The first-layer weights input-major ({@code W[i·units + j]} = weight from input i to first-layer unit j),
     * a copy; the probes' ρ_t and relevant-vs-irrelevant trajectories read it.
     */
    float[] firstLayer();

    /** Number of first-layer units (the "j" range of {@link #firstLayer()}). */
    int firstLayerUnits();

    /** True when the model reads the bit-packed inputs directly (dense inputs are then refused). */
    boolean needsBits();

    /**
     * Training steps computed so far by the vector kernels' plain-Java twin before the Vector API code took over
     * ({@link bitsgd.kernel.mlp.HandoverMlpKernels}), or -1 when this model's kernels have no hand-over.
     */
    default long twinSteps() {
        return -1;
    }

    /**
     * Splits every step (and forward pass) over up to {@code threads} threads, with the same bits as on one; false
     * when this model always runs on one thread (then nothing changed).
     */
    default boolean splitOver(int threads) {
        return threads == 1;
    }

    /** Threads a step runs on. */
    default int threads() {
        return 1;
    }
}
