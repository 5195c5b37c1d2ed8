package bitsgd.kernel.attn;

/**
 * Kernels for the dense pieces of a Transformer encoder on row-major float batches: a linear layer with its backward
 * pass (the weight gradient accumulated, not applied), and multi-head softmax self-attention with its backward pass.
 *
 * <pre>
 * Shapes (row-major; a "row" is one token of one sample, rows = batch × seq):
 *
 *   in   [r·ins + i]     rows × ins          W    [i·outs + j]    ins × outs (input-major)     bias [j]
 *   out  [r·outs + j]    rows × outs
 *
 *   linear          out[r,j]  = bias[j] + Σ_i in[r,i] W[i,j]            (bias null: 0)
 *   linearBackward  dIn[r,i]  = Σ_j dOut[r,j] W[i,j]                     (dIn null: skipped)
 *                   gW[i,j]  += Σ_r in[r,i] dOut[r,j]
 *                   gBias[j] += Σ_r dOut[r,j]                            (gBias null: skipped)
 *   reluBackward    d[q] = 0 where pre[q] ≤ 0, else unchanged            (ReLU's derivative at its input pre)
 *
 * Attention, heads H of dimension d = width / H; token t of sample b is row r = b·seq + t:
 *   qkv  [r·3W + c]: Q = columns 0..W−1, K = W..2W−1, V = 2W..3W−1; head h owns columns h·d..h·d+d−1 of each
 *   S_bh[t,s]  = (Σ_c Q[t,h·d+c] K[s,h·d+c]) · (1/√d)                    query t, key s
 *   P_bh[t,s]  = exp(S[t,s] − max_s' S[t,s']) / Σ_s' exp(S[t,s'] − max)   softmax over keys s
 *   out[r, h·d + c] = Σ_s P_bh[t,s] V[s,h·d+c]                          (rows × W, heads concatenated)
 *   probs[((b·H + h)·seq + s)·seq + t] = P_bh[t,s]                        (key-major; kept for the backward pass)
 *
 *   backward, from dOut (rows × W):
 *     dV[s,c] = Σ_t P[t,s] dOut[t,c]           dP[t,s] = Σ_c dOut[t,c] V[s,c]
 *     dS[t,s] = P[t,s] (dP[t,s] − Σ_s' P[t,s'] dP[t,s'])
 *     dQ[t,c] = (Σ_s dS[t,s] K[s,c]) · (1/√d)   dK[s,c] = (Σ_t dS[t,s] Q[t,c]) · (1/√d)    into dQkv (rows × 3W, overwritten)
 * </pre>
 *
 * <p>Float order, shared by every implementation so that they agree bit for bit where they can: every sum is an fma
 * chain from its first term ({@code acc = 0} or the bias, then {@code acc = fma(a, b, acc)}) in increasing index
 * order of the summed index, the softmax's denominator is summed in increasing s, and its exp is {@link Exp#exp}
 * (plain IEEE operations, the same bits in every JIT tier). So the implementations agree bit for bit.
 * Implementations are stateless and thread-safe; the caller passes {@code scratch} arrays of at least
 * {@link #scratchSize} floats. Arrays may be longer than the shapes need.
 */
public interface AttentionKernels {

    /** Short name of the implementation, e.g. {@code scalar} or {@code vector-512}. */
    String name();

    /** Floats of scratch {@link #linearBackward} and the attention methods need for these shapes. */
    int scratchSize(int seq, int width, int heads, int maxIns, int maxOuts);

    /** {@code out[r·outs + j] = bias[j] + Σ_i in[r·ins + i] · w[i·outs + j]} for r &lt; rows, j &lt; outs. */
    void linear(float[] in, int rows, int ins, float[] w, float[] bias, int outs, float[] out);

    /** dIn = dOut·Wᵀ (unless dIn is null), gW += inᵀ·dOut, gBias += Σ_r dOut (unless gBias is null). */
    void linearBackward(float[] in, float[] dOut, int rows, int ins, int outs, float[] w, float[] dIn, float[] gW, float[] gBias,
            float[] scratch);

    /** {@code d[q] = 0} where {@code pre[q] <= 0} (NaN keeps d), for q &lt; count: back through a ReLU whose input was pre. */
    void reluBackward(float[] pre, float[] d, int count);

    /** Multi-head softmax self-attention of every sample: {@code out} (rows × width) and {@code probs}. */
    void attention(float[] qkv, int batch, int seq, int width, int heads, float[] probs, float[] out, float[] scratch);

    /** The gradient with respect to qkv of a loss with gradient dOut at out (dQkv is overwritten). */
    void attentionBackward(float[] qkv, float[] probs, float[] dOut, int batch, int seq, int width, int heads, float[] dQkv,
            float[] scratch);

    /** Argument checks shared by the implementations (cheap, once per call). */
    static void checkLinear(int rows, int ins, int outs, int inLen, int wLen, int outLen) {
        if (rows < 0 || ins < 1 || outs < 1) throw new IllegalArgumentException("bad shape " + rows + "×" + ins + "→" + outs);
        if (inLen < (long) rows * ins) throw new IllegalArgumentException("input array " + inLen + " < " + rows + "×" + ins);
        if (wLen < (long) ins * outs) throw new IllegalArgumentException("weight array " + wLen + " < " + ins + "×" + outs);
        if (outLen < (long) rows * outs) throw new IllegalArgumentException("output array " + outLen + " < " + rows + "×" + outs);
    }

    /** Argument checks of the attention methods. */
    static void checkAttention(int batch, int seq, int width, int heads, int qkvLen, int probsLen, int outLen) {
        if (batch < 0 || seq < 1 || heads < 1 || width < 1 || width % heads != 0) {
            throw new IllegalArgumentException("bad attention shape batch=" + batch + " seq=" + seq + " width=" + width + " heads=" + heads);
        }
        long rows = (long) batch * seq;
        if (qkvLen < rows * 3 * width) throw new IllegalArgumentException("qkv array " + qkvLen + " < " + rows + "×" + 3 * width);
        if (probsLen < rows * heads * seq) throw new IllegalArgumentException("probs array " + probsLen + " < " + rows * heads * seq);
        if (outLen < rows * width) throw new IllegalArgumentException("output array " + outLen + " < " + rows + "×" + width);
    }
}
