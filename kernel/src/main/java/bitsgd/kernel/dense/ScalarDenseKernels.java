package bitsgd.kernel.dense;

import java.util.Arrays;

/**
 * The reference: plain loops that read like the math in {@link DenseKernels}, with the float order
 * documented there ({@link Math#fma} like the vector twin, so forward, update and the fused ReLU layer agree
 * with it bit for bit).
 */
public final class ScalarDenseKernels implements DenseKernels {

    public static final ScalarDenseKernels INSTANCE = new ScalarDenseKernels();

    private ScalarDenseKernels() {}

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void forward(float[] in, int batch, int ins, float[] w, float[] bias, int outs, float[] out) {
        DenseKernels.checkShapes(batch, ins, outs, in.length, w.length, out.length, bias == null ? -1 : bias.length);
        // loops b, i, j: out[b,j] still sees bias, then i = 0, 1, … in order, but W is read row by row
        // (contiguous) and the outs fma chains are independent, so this baseline is not latency-bound
        for (int b = 0; b < batch; b++) {
            int o = b * outs;
            if (bias == null) Arrays.fill(out, o, o + outs, 0f);
            else System.arraycopy(bias, 0, out, o, outs);
            for (int i = 0; i < ins; i++) {
                float x = in[b * ins + i];
                int wi = i * outs;
                for (int j = 0; j < outs; j++) out[o + j] = Math.fma(x, w[wi + j], out[o + j]);
            }
        }
    }

    /** Summed over j in index order: acc = 0, acc = fma(dOut[b,j], W[i,j], acc). */
    @Override
    public void backwardInput(float[] dOut, int batch, int outs, float[] w, int ins, float[] dIn) {
        DenseKernels.checkShapes(batch, ins, outs, dIn.length, w.length, dOut.length, -1);
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < ins; i++) {
                float acc = 0f;
                for (int j = 0; j < outs; j++) acc = Math.fma(dOut[b * outs + j], w[i * outs + j], acc);
                dIn[b * ins + i] = acc;
            }
        }
    }

    @Override
    public void update(float[] in, float[] dOut, int batch, int ins, int outs, float[] w, float[] bias, float lr, float weightDecay) {
        DenseKernels.checkShapes(batch, ins, outs, in.length, w.length, dOut.length, bias == null ? -1 : bias.length);
        // one gradient row at a time (b = 0, 1, … in order per entry), applied at once: never the whole matrix
        float[] row = new float[outs];
        for (int i = 0; i < ins; i++) {
            java.util.Arrays.fill(row, 0f);
            for (int b = 0; b < batch; b++) {
                float x = in[b * ins + i];
                int d = b * outs;
                for (int j = 0; j < outs; j++) row[j] = Math.fma(x, dOut[d + j], row[j]);
            }
            int wi = i * outs;
            for (int j = 0; j < outs; j++) w[wi + j] = sgd(w[wi + j], row[j], lr, weightDecay);
        }
        if (bias == null) return;
        for (int j = 0; j < outs; j++) {
            float grad = 0f;
            for (int b = 0; b < batch; b++) grad += dOut[b * outs + j];
            bias[j] = sgd(bias[j], grad, lr, weightDecay);
        }
    }

    @Override
    public void forwardRelu(float[] in, int batch, int ins, float[] w, float[] bias, int outs, float[] z, float[] h, boolean skip) {
        DenseKernels.checkRelu(batch, ins, outs, skip, z, null, h);
        if (in == z || in == h) throw new IllegalArgumentException("in must be its own array");
        forward(in, batch, ins, w, bias, outs, z);
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < outs; j++) {
                float a = Math.max(z[b * outs + j], 0f);
                h[b * outs + j] = skip ? a + in[b * ins + j] : a;
            }
        }
    }

    /** dIn's rows formed like forward's: acc = 0, then fma(δ[b,j], Wt[j,i], acc) for j in order, then + dh. */
    @Override
    public void backwardRelu(float[] dh, float[] z, int batch, int outs, float[] wt, int ins, float[] delta, float[] dIn, boolean skip) {
        DenseKernels.checkRelu(batch, ins, outs, skip, dh, z, delta);
        for (int k = 0; k < batch * outs; k++) delta[k] = z[k] > 0f ? dh[k] : 0f;
        if (dIn == null) return;
        DenseKernels.checkShapes(batch, outs, ins, delta.length, wt.length, dIn.length, -1);
        if (dIn == dh || dIn == delta || dIn == z) throw new IllegalArgumentException("dIn must be its own array");
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < ins; i++) {
                float acc = 0f;
                for (int j = 0; j < outs; j++) acc = Math.fma(delta[b * outs + j], wt[j * ins + i], acc);
                dIn[b * ins + i] = skip ? acc + dh[b * outs + i] : acc;
            }
        }
    }

    /** torch.optim.SGD, p − η(g + λp), as two FMAs: t = λp + g, then p + (−η)t. */
    static float sgd(float p, float grad, float lr, float weightDecay) {
        return Math.fma(Math.fma(p, weightDecay, grad), -lr, p);
    }
}
