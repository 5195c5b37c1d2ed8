package bitsgd.kernel.optim;

/**
 * Elementwise optimizer updates on a range {@code [from, to)} of flat float arrays: parameters p, their gradient g
 * (∂L/∂p without weight decay) and the optimizer's state, in PyTorch 1.13's float32 order of operations
 * (torch.optim's single-tensor code on CPU, whose vectorised kernels compute {@code a + α·b} as {@code fma(b, α, a)}):
 * <pre>
 *   SGD with momentum μ (dampening 0), weight decay λ, rate η:
 *     d   = fma(p, λ, g)                      (d = g when λ = 0)
 *     buf = buf·μ + d                         (the first step: buf = d, which is what a zero buffer gives)
 *     d   = nesterov ? fma(buf, μ, d) : buf
 *     p   = fma(d, −η, p)
 *
 *   Adam / AdamW, with the per-step scalars of {@link AdamCoefficients} (bias corrections in double, as torch's Python):
 *     d   = fma(p, λ, g)                      Adam's L2 decay (AdamW: d = g)
 *     p   = p · (1 − η·λ)                      AdamW's decoupled decay, before the update (Adam: the factor is 1)
 *     m   = fma(d, 1 − β₁, m·β₁)
 *     v   = v·β₂ + ((1 − β₂)·d)·d
 *     p   = p + ((−η/(1 − β₁ᵗ))·m) / (√v / √(1 − β₂ᵗ) + ε)
 * </pre>
 * Every operation is one IEEE-rounded float operation (fma, sqrt and division included), so an implementation that
 * keeps this order gives the same bits; the scalar reference and the Vector API twin agree bit for bit.
 * Implementations are stateless and thread-safe.
 */
public interface OptimKernels {

    /** Short name of the implementation, e.g. {@code scalar} or {@code vector-256}. */
    String name();

    /** torch.optim.SGD(momentum=μ, dampening=0, nesterov, weight_decay=λ) on {@code p[from, to)}, buffer {@code buf}. */
    void momentum(float[] p, float[] g, float[] buf, int from, int to, float lr, float weightDecay, float momentum, boolean nesterov);

    /** One torch.optim.Adam or AdamW step on {@code p[from, to)} with first and second moments {@code m}, {@code v}. */
    void adam(float[] p, float[] g, float[] m, float[] v, int from, int to, AdamCoefficients c);

    /** Argument checks shared by the implementations. */
    static void checkRange(int from, int to, float[]... arrays) {
        if (from < 0 || to < from) throw new IllegalArgumentException("bad range [" + from + ", " + to + ")");
        for (float[] a : arrays) if (a.length < to) throw new IllegalArgumentException("array of " + a.length + " < " + to);
    }
}
