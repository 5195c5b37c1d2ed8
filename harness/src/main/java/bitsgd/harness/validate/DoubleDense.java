package bitsgd.harness.validate;

/**
 * The routines of {@link bitsgd.kernel.dense.DenseKernels} in double precision, straight from their definitions:
 * the brute force the scalar reference is checked against. Each returns the values and, beside them, Σ|terms| of each
 * value (the scale of its float rounding error).
 */
final class DoubleDense {
    private DoubleDense() {}

    /** {out, scale}: out[b,j] = bias[j] + Σ_i in[b,i] W[i,j]. */
    static double[][] forward(float[] in, int batch, int ins, float[] w, float[] bias, int outs) {
        double[] out = new double[batch * outs], scale = new double[batch * outs];
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < outs; j++) {
                double s = bias[j], a = Math.abs(bias[j]);
                for (int i = 0; i < ins; i++) {
                    double t = (double) in[b * ins + i] * w[i * outs + j];
                    s += t;
                    a += Math.abs(t);
                }
                out[b * outs + j] = s;
                scale[b * outs + j] = a;
            }
        }
        return new double[][] {out, scale};
    }

    /** {dIn, scale}: dIn[b,i] = Σ_j dOut[b,j] W[i,j]. */
    static double[][] backwardInput(float[] dOut, int batch, int outs, float[] w, int ins) {
        double[] dIn = new double[batch * ins], scale = new double[batch * ins];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < ins; i++) {
                double s = 0, a = 0;
                for (int j = 0; j < outs; j++) {
                    double t = (double) dOut[b * outs + j] * w[i * outs + j];
                    s += t;
                    a += Math.abs(t);
                }
                dIn[b * ins + i] = s;
                scale[b * ins + i] = a;
            }
        }
        return new double[][] {dIn, scale};
    }

    /**
     * {W', scale of W', bias', scale of bias'}: p' = p − η (∂p + λ p) with ∂W[i,j] = Σ_b in[b,i] dOut[b,j] and
     * ∂bias[j] = Σ_b dOut[b,j]; scale = |p| + η (Σ|terms of ∂p| + λ|p|).
     */
    static double[][] update(float[] in, float[] dOut, int batch, int ins, int outs, float[] w, float[] bias, float lr, float wd) {
        double[] w2 = new double[ins * outs], ws = new double[ins * outs], b2 = new double[outs], bs = new double[outs];
        for (int i = 0; i < ins; i++) {
            for (int j = 0; j < outs; j++) {
                double g = 0, a = 0;
                for (int b = 0; b < batch; b++) {
                    double t = (double) in[b * ins + i] * dOut[b * outs + j];
                    g += t;
                    a += Math.abs(t);
                }
                double p = w[i * outs + j];
                w2[i * outs + j] = p - (double) lr * (g + (double) wd * p);
                ws[i * outs + j] = Math.abs(p) + lr * (a + wd * Math.abs(p));
            }
        }
        for (int j = 0; j < outs; j++) {
            double g = 0, a = 0;
            for (int b = 0; b < batch; b++) {
                g += dOut[b * outs + j];
                a += Math.abs(dOut[b * outs + j]);
            }
            double p = bias[j];
            b2[j] = p - (double) lr * (g + (double) wd * p);
            bs[j] = Math.abs(p) + lr * (a + wd * Math.abs(p));
        }
        return new double[][] {w2, ws, b2, bs};
    }

    /** {h, scale}: h[b,j] = max(z[b,j], 0) (+ in[b,j] with skip), z from {@link #forward}. */
    static double[][] forwardRelu(float[] in, int batch, int ins, float[] w, float[] bias, int outs, boolean skip) {
        double[][] z = forward(in, batch, ins, w, bias, outs);
        for (int k = 0; k < batch * outs; k++) {
            z[0][k] = Math.max(z[0][k], 0);
            if (skip) {
                z[0][k] += in[k];
                z[1][k] += Math.abs(in[k]);
            }
        }
        return z;
    }

    /** {dIn, scale}: dIn[b,i] = Σ_j [z[b,j] &gt; 0] dh[b,j] W[i,j] (+ dh[b,i] with skip), W input-major. */
    static double[][] backwardRelu(float[] dh, float[] z, int batch, int outs, float[] w, int ins, boolean skip) {
        float[] delta = new float[batch * outs];
        for (int k = 0; k < delta.length; k++) delta[k] = z[k] > 0f ? dh[k] : 0f;
        double[][] d = backwardInput(delta, batch, outs, w, ins);
        if (skip) {
            for (int k = 0; k < batch * ins; k++) {
                d[0][k] += dh[k];
                d[1][k] += Math.abs(dh[k]);
            }
        }
        return d;
    }
}
