package bitsgd.kernel.attn;

import bitsgd.kernel.dense.ScalarDenseKernels;

/**
 * The reference: plain loops that read like the math in {@link AttentionKernels}, in the float order documented
 * there ({@link Math#fma} chains and {@link Exp#exp}, like the vector twin, which agrees with it bit for bit).
 */
public final class ScalarAttentionKernels implements AttentionKernels {

    public static final ScalarAttentionKernels INSTANCE = new ScalarAttentionKernels();

    private ScalarAttentionKernels() {}

    @Override
    public String name() {
        return "scalar";
    }

    /** dP and dS of one (sample, head): 2·seq² floats. */
    @Override
    public int scratchSize(int seq, int width, int heads, int maxIns, int maxOuts) {
        return 2 * seq * seq;
    }

    /** The dense family's reference forward: bias (or +0), then the fma chain in i order. */
    @Override
    public void linear(float[] in, int rows, int ins, float[] w, float[] bias, int outs, float[] out) {
        AttentionKernels.checkLinear(rows, ins, outs, in.length, w.length, out.length);
        ScalarDenseKernels.INSTANCE.forward(in, rows, ins, w, bias, outs, out);
    }

    @Override
    public void reluBackward(float[] pre, float[] d, int count) {
        if (pre.length < count || d.length < count) throw new IllegalArgumentException("arrays shorter than " + count);
        for (int q = 0; q < count; q++) if (pre[q] <= 0f) d[q] = 0f;
    }

    @Override
    public void linearBackward(float[] in, float[] dOut, int rows, int ins, int outs, float[] w, float[] dIn, float[] gW,
            float[] gBias, float[] scratch) {
        AttentionKernels.checkLinear(rows, ins, outs, in.length, w.length, dOut.length);
        if (dIn != null) ScalarDenseKernels.INSTANCE.backwardInput(dOut, rows, outs, w, ins, dIn);   // the fma chain in j order
        for (int i = 0; i < ins; i++) {
            for (int j = 0; j < outs; j++) {
                float acc = 0f;
                for (int r = 0; r < rows; r++) acc = Math.fma(in[r * ins + i], dOut[r * outs + j], acc);
                gW[i * outs + j] += acc;
            }
        }
        if (gBias == null) return;
        for (int j = 0; j < outs; j++) {
            float acc = 0f;
            for (int r = 0; r < rows; r++) acc += dOut[r * outs + j];
            gBias[j] += acc;
        }
    }

    @Override
    public void attention(float[] qkv, int batch, int seq, int width, int heads, float[] probs, float[] out, float[] scratch) {
        AttentionKernels.checkAttention(batch, seq, width, heads, qkv.length, probs.length, out.length);
        final int d = width / heads, stride = 3 * width;
        final float scale = (float) (1.0 / Math.sqrt(d));
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                final int p0 = (b * heads + h) * seq * seq, q0 = h * d, k0 = width + h * d, v0 = 2 * width + h * d;
                for (int t = 0; t < seq; t++) {
                    final int qt = (b * seq + t) * stride;
                    float max = Float.NEGATIVE_INFINITY;
                    for (int s = 0; s < seq; s++) {
                        final int ks = (b * seq + s) * stride;
                        float acc = 0f;
                        for (int c = 0; c < d; c++) acc = Math.fma(qkv[qt + q0 + c], qkv[ks + k0 + c], acc);
                        float score = acc * scale;
                        probs[p0 + s * seq + t] = score;
                        max = Math.max(max, score);
                    }
                    float sum = 0f;
                    for (int s = 0; s < seq; s++) {
                        float e = Exp.exp(probs[p0 + s * seq + t] - max);
                        probs[p0 + s * seq + t] = e;
                        sum += e;
                    }
                    for (int s = 0; s < seq; s++) probs[p0 + s * seq + t] /= sum;
                    for (int c = 0; c < d; c++) {
                        float acc = 0f;
                        for (int s = 0; s < seq; s++) acc = Math.fma(probs[p0 + s * seq + t], qkv[(b * seq + s) * stride + v0 + c], acc);
                        out[(b * seq + t) * width + q0 + c] = acc;
                    }
                }
            }
        }
    }

    @Override
    public void attentionBackward(float[] qkv, float[] probs, float[] dOut, int batch, int seq, int width, int heads, float[] dQkv,
            float[] scratch) {
        AttentionKernels.checkAttention(batch, seq, width, heads, qkv.length, probs.length, dOut.length);
        if (dQkv.length < (long) batch * seq * 3 * width) throw new IllegalArgumentException("dQkv array too short");
        final int d = width / heads, stride = 3 * width;
        final float scale = (float) (1.0 / Math.sqrt(d));
        final int dP = 0, dS = seq * seq;   // scratch: dP[t·seq + s], dS[t·seq + s]
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                final int p0 = (b * heads + h) * seq * seq, q0 = h * d, k0 = width + h * d, v0 = 2 * width + h * d;
                for (int t = 0; t < seq; t++) {
                    final int ot = (b * seq + t) * width + q0;
                    for (int s = 0; s < seq; s++) {
                        float acc = 0f;
                        for (int c = 0; c < d; c++) acc = Math.fma(dOut[ot + c], qkv[(b * seq + s) * stride + v0 + c], acc);
                        scratch[dP + t * seq + s] = acc;
                    }
                    float dot = 0f;
                    for (int s = 0; s < seq; s++) dot = Math.fma(probs[p0 + s * seq + t], scratch[dP + t * seq + s], dot);
                    for (int s = 0; s < seq; s++) scratch[dS + t * seq + s] = probs[p0 + s * seq + t] * (scratch[dP + t * seq + s] - dot);
                }
                for (int t = 0; t < seq; t++) {
                    for (int c = 0; c < d; c++) {
                        float acc = 0f;
                        for (int s = 0; s < seq; s++) acc = Math.fma(scratch[dS + t * seq + s], qkv[(b * seq + s) * stride + k0 + c], acc);
                        dQkv[(b * seq + t) * stride + q0 + c] = acc * scale;
                    }
                }
                for (int s = 0; s < seq; s++) {
                    for (int c = 0; c < d; c++) {
                        float accK = 0f, accV = 0f;
                        for (int t = 0; t < seq; t++) {
                            accK = Math.fma(scratch[dS + t * seq + s], qkv[(b * seq + t) * stride + q0 + c], accK);
                            accV = Math.fma(probs[p0 + s * seq + t], dOut[(b * seq + t) * width + q0 + c], accV);
                        }
                        dQkv[(b * seq + s) * stride + k0 + c] = accK * scale;
                        dQkv[(b * seq + s) * stride + v0 + c] = accV;
                    }
                }
            }
        }
    }
}
