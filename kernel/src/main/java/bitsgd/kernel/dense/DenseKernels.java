package bitsgd.kernel.dense;

/**
 * Kernels for one dense float layer {@code out = bias + in·W} on row-major batches: the building block of
 * the deep residual network of the staircase experiments (docs/protocols.md §B) and of any model on
 * real-valued (biased-hypercube, Gaussian) inputs.
 *
 * <pre>
 * Shapes (all row-major, like {@link bitsgd.kernel.mlp.Mlp2}'s first layer):
 *
 *   in   [b·ins + i]     batch × ins        a batch of input rows
 *   W    [i·outs + j]    ins × outs         input-major: row i = the weights leaving input i
 *   bias [j]             outs
 *   out  [b·outs + j]    batch × outs
 *
 *   forward         out[b,j] = bias[j] + Σ_i in[b,i] W[i,j]
 *   backwardInput   dIn[b,i] = Σ_j dOut[b,j] W[i,j]                      (call before update: reads the old W)
 *   update          W[i,j]  ← W[i,j]  − η (Σ_b in[b,i] dOut[b,j] + λ W[i,j])
 *                   bias[j] ← bias[j] − η (Σ_b dOut[b,j] + λ bias[j])     (the gradient is never stored)
 *
 * One ReLU layer of a residual network, fused (skip: the identity shortcut, needs ins = outs):
 *   forwardRelu     z[b,j] = bias[j] + Σ_i in[b,i] W[i,j]                 (forward's order)
 *                   h[b,j] = max(z[b,j], 0)  (+ in[b,j] with skip)
 *   backwardRelu    δ[b,j]   = dh[b,j] if z[b,j] &gt; 0, else 0
 *                   dIn[b,i] = Σ_j δ[b,j] Wt[j,i]  (+ dh[b,i] with skip)    Wt[j·ins + i] = W[i,j], the transpose
 * </pre>
 * backwardRelu reads the weights transposed ({@link #transpose}) so that its sums run along contiguous rows
 * like forward's; a caller keeps the transpose in step by calling {@link #update} on it too, with the roles of
 * in and dOut swapped and no bias: every fma is commutative, so W and Wt stay exact transposes.
 *
 * <p>Float order, shared by every implementation so that they agree bit for bit where they can:
 * <ul>
 *   <li>forward: {@code acc = bias[j]}, then {@code acc = fma(in[b,i], W[i,j], acc)} for i = 0, 1, …, ins−1;</li>
 *   <li>update: {@code G = 0}, then {@code G = fma(in[b,i], dOut[b,j], G)} for b = 0, 1, …, batch−1;
 *       {@code gb = 0}, then {@code gb += dOut[b,j]} in b order; each parameter p with gradient G becomes
 *       {@code fma(fma(p, λ, G), −η, p)};</li>
 *   <li>backwardInput: the one reduction along a row of W; implementations may sum it in different
 *       (documented, fixed) orders, so providers agree only within rounding there.</li>
 * </ul>
 * Implementations are stateless and thread-safe. Arrays may be longer than the shapes need.
 */
public interface DenseKernels {

    /** Short name of the implementation actually running, e.g. {@code scalar} or {@code vector-256}. */
    String name();

    /** {@code out[b·outs + j] = bias[j] + Σ_i in[b·ins + i] · w[i·outs + j]} for b &lt; batch, j &lt; outs (bias null: +0). */
    void forward(float[] in, int batch, int ins, float[] w, float[] bias, int outs, float[] out);

    /** {@code dIn[b·ins + i] = Σ_j dOut[b·outs + j] · w[i·outs + j]} for b &lt; batch, i &lt; ins. */
    void backwardInput(float[] dOut, int batch, int outs, float[] w, int ins, float[] dIn);

    /**
     * SGD with weight decay on the layer, the weight gradient {@code Σ_b in[b,i] dOut[b,j]} formed in
     * registers and applied at once: {@code p ← p − η (∂p + λ p)} for every weight and bias
     * ({@code bias == null}: the weights only).
     */
    void update(float[] in, float[] dOut, int batch, int ins, int outs, float[] w, float[] bias, float lr, float weightDecay);

    /**
     * {@code z = bias + in·W} and {@code h = max(z, 0)} (+ {@code in} when {@code skip}) for b &lt; batch, j &lt; outs;
     * z and h may not be the same array.
     */
    void forwardRelu(float[] in, int batch, int ins, float[] w, float[] bias, int outs, float[] z, float[] h, boolean skip);

    /**
     * {@code delta = dh ⊙ [z > 0]} (b &lt; batch, j &lt; outs), then, unless {@code dIn == null},
     * {@code dIn[b·ins + i] = Σ_j delta[b·outs + j] · wt[j·ins + i]} (+ {@code dh[b·outs + i]} when {@code skip}).
     * Reads the weights before the layer's update; delta, dh and dIn must be distinct arrays.
     */
    void backwardRelu(float[] dh, float[] z, int batch, int outs, float[] wt, int ins, float[] delta, float[] dIn, boolean skip);

    /** {@code wt[j·ins + i] = w[i·outs + j]}: the transposed weights {@link #backwardRelu} reads. */
    static void transpose(float[] w, int ins, int outs, float[] wt) {
        checkShapes(0, ins, outs, 0, w.length, 0, -1);
        if (wt.length < (long) ins * outs) throw new IllegalArgumentException("transpose array " + wt.length + " < " + ins + "×" + outs);
        for (int i = 0; i < ins; i++) for (int j = 0; j < outs; j++) wt[j * ins + i] = w[i * outs + j];
    }

    /** Argument checks of the fused ReLU layer: {@code a} and {@code c} hold batch × outs floats, {@code b} too unless null; all distinct. */
    static void checkRelu(int batch, int ins, int outs, boolean skip, float[] a, float[] b, float[] c) {
        if (skip && ins != outs) throw new IllegalArgumentException("a skip needs ins = outs, got " + ins + "→" + outs);
        long need = (long) batch * outs;
        if (a.length < need || c.length < need || (b != null && b.length < need)) {
            throw new IllegalArgumentException("an activation array is shorter than " + batch + "×" + outs);
        }
        if (a == b || a == c || b == c) throw new IllegalArgumentException("the fused ReLU layer needs distinct arrays");
    }

    /** Argument checks shared by the implementations (cheap, once per call). */
    static void checkShapes(int batch, int ins, int outs, int inLen, int wLen, int outLen, int biasLen) {
        if (batch < 0 || ins < 0 || outs < 0) throw new IllegalArgumentException("negative shape " + batch + "×" + ins + "→" + outs);
        if (inLen < (long) batch * ins) throw new IllegalArgumentException("input array " + inLen + " < " + batch + "×" + ins);
        if (wLen < (long) ins * outs) throw new IllegalArgumentException("weight array " + wLen + " < " + ins + "×" + outs);
        if (outLen < (long) batch * outs) throw new IllegalArgumentException("output array " + outLen + " < " + batch + "×" + outs);
        if (biasLen >= 0 && biasLen < outs) throw new IllegalArgumentException("bias array " + biasLen + " < " + outs);
    }
}
