package bitsgd.kernel.mlp;

import bitsgd.kernel.bits.BitBatch;

/**
 * Fused kernels for the 2-layer network {@link Mlp2} on bit-packed ±1 inputs, with σ = {@link Mlp2#activation}
 * (ReLU, or z^k).
 *
 * <p>One SGD step on a batch of B samples, with L = (1/B) Σ_b ℓ(y_b, f(x_b)):
 * <pre>
 *   forward   z_bj = b_j + Σ_i x_bi W_ij      h_bj = σ(z_bj)      f_b = c + Σ_j a_j h_bj
 *   loss      g_b  = ∂ℓ/∂f (y_b, f_b) / B
 *   backward  δ_bj = g_b · a_j · σ'(z_bj)          ReLU: σ' = [z_bj > 0];  z^k: σ' = k·z_bj^{k−1}
 *             ∂L/∂W_ij = Σ_b x_bi δ_bj   ∂L/∂b_j = Σ_b δ_bj   ∂L/∂a_j = Σ_b g_b h_bj   ∂L/∂c = Σ_b g_b
 *   update    θ ← θ − η_θ (∂L/∂θ + λ θ)   (torch.optim.SGD with weight_decay = λ, on every parameter)
 *             η_θ = η₁ for the first layer (W, b), η₂ for the second layer (a, c)
 * </pre>
 * All reads of a_j in the backward pass see the values from before the update.
 *
 * <p>Implementations are stateless and thread-safe; per-run scratch lives in a {@link Workspace}.
 */
public interface MlpKernels {

    /** Short name that names the implementation actually running, e.g. {@code scalar} or {@code vector-256}. */
    String name();

    /** Scratch for nets of input size n, width h and batches of at most {@code maxBatch} samples. */
    Workspace workspace(int n, int h, int maxBatch);

    /**
     * Scratch whose steps and forward passes may split the hidden units over up to {@code threads} threads (this one
     * and workers it owns), with the same bits as one thread; {@link Workspace#threads} says how many it uses.
     * Kernels that always run on one thread ignore {@code threads}.
     */
    default Workspace workspace(int n, int h, int maxBatch, int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        return workspace(n, h, maxBatch);
    }

    /**
     * One fused SGD step (forward, loss, backward, update) on the batch {@code x} with targets {@code y}.
     *
     * @param lr1 learning rate η₁ of the first layer (W, b)
     * @param lr2 learning rate η₂ of the second layer (a, c); lr1 == lr2 gives bit-for-bit the single-rate step
     * @return the mean loss over the batch, at the parameters before the update
     */
    float step(Mlp2 net, BitBatch x, float[] y, Loss loss, float lr1, float lr2, float weightDecay, Workspace ws);

    /** Network outputs f(x_b) for the batch, into {@code f[0..B)}. */
    void forward(Mlp2 net, BitBatch x, float[] f, Workspace ws);

    /** Per-run scratch memory owned by one kernel implementation; not shared between threads. */
    interface Workspace {
        /** Threads a step runs on (1 unless the kernels split it). */
        default int threads() {
            return 1;
        }
    }
}
