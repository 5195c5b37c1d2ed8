package bitsgd.kernel.popgrad;

import bitsgd.kernel.mlp.Loss;
import bitsgd.kernel.mlp.Mlp2;

/**
 * Exact population gradient of the 2-layer ReLU net by exhaustive enumeration of {±1}^n (docs/hidden-progress.md).
 *
 * <pre>
 *   u = (q &lt;&lt; L) | p          input index: p = the low L bits, q = the high n−L bits
 *   z(u) = base(q) + T[p]     base(q)_j = b_j + Σ_{i≥L} x_i W_ij (once per block of 2^L inputs)
 *                             T[p]_j   = Σ_{i&lt;L} x_i W_ij       (one 2^L × h table per weights)
 *   f(u) = c + Σ_j a_j max(z_j, 0),   g(u) = ∂ℓ/∂f(y(u), f(u))
 *   per input: D[p] += g·[z &gt; 0]  (low coordinates)   E += g·[z &gt; 0]  (block sum, for high ones)
 *   ∂/∂W_ij = a_j/2^n · ( i &lt; L ? Σ_p x_i(p) D[p]_j : Σ_q x_i(q) E(q)_j ),  ∂/∂b_j = a_j/2^n · Σ_p D[p]_j
 *   ∂/∂a_j = 1/2^n · Σ_u g(u) max(z_j(u), 0),   ∂/∂c = 1/2^n · Σ_u g(u)
 * </pre>
 * The factor a_j is pulled out of δ = g·a_j·[z &gt; 0] so the hot loop never multiplies by it.
 * Label noise with flip probability p is taken in expectation: g = (1−p)·ℓ'(y, f) + p·ℓ'(−y, f).
 *
 * <p>Precision: z, f and g are float (as in training); float partial sums have at most 2^L inputs (E, GA) or
 * 32 block terms (the D and mid tables, then flushed), and every longer sum is double, so the result differs from a double-precision per-input computation by
 * float rounding of z and f only (tests: ≤ 1e-6 · max(1, max|∂|) for n ≤ 12).
 *
 * <p>Memory is O(2^L·h + n·h), never O(2^n): see {@link PopGrads#bytesNeeded(int, int)}.
 */
public interface PopGradKernels {

    /** {@code scalar} or {@code vector-<bits>}. */
    String name();

    /**
     * E over all 2^n inputs of ∇ℓ at the net's current parameters.
     *
     * @param flip label-noise probability in [0, 1] (0.5 = independent random labels)
     */
    PopGrad compute(Mlp2 net, PopTarget target, Loss loss, double flip);
}
