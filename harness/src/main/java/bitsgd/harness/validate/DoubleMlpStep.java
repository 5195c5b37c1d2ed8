package bitsgd.harness.validate;

import bitsgd.kernel.bits.BitBatch;
import bitsgd.kernel.mlp.Loss;
import bitsgd.kernel.mlp.Mlp2;

/**
 * The MLP step of {@link bitsgd.kernel.mlp.MlpKernels} in double precision, per sample and per
 * parameter with no reuse of partial sums: the brute force the float kernels are checked against.
 */
final class DoubleMlpStep {
    private DoubleMlpStep() {}

    /** Parameters as doubles, in the layout of {@link Mlp2}. */
    record Params(int n, int h, double[] w, double[] b, double[] a, double c) {
        static Params of(Mlp2 m) {
            double[] w = new double[m.w.length], b = new double[m.h], a = new double[m.h];
            for (int k = 0; k < w.length; k++) w[k] = m.w[k];
            for (int j = 0; j < m.h; j++) {
                b[j] = m.b[j];
                a[j] = m.a[j];
            }
            return new Params(m.n, m.h, w, b, a, m.c);
        }
    }

    static double[] forward(Params p, BitBatch x) {
        double[] f = new double[x.size()];
        for (int s = 0; s < x.size(); s++) {
            double out = p.c;
            for (int j = 0; j < p.h; j++) out += p.a[j] * Math.max(z(p, x, s, j), 0);
            f[s] = out;
        }
        return f;
    }

    private static double z(Params p, BitBatch x, int s, int j) {
        double z = p.b[j];
        for (int i = 0; i < p.n; i++) z += x.sign(s, i) * p.w[i * p.h + j];
        return z;
    }

    /**
     * One SGD step with rate {@code lr1} on W, b and {@code lr2} on a, c; returns the updated parameters and
     * puts the mean loss in {@code lossOut[0]}. ReLU only (the float kernels' z^k path is checked elsewhere).
     */
    static Params step(Params p, BitBatch x, float[] y, Loss loss, double lr1, double lr2, double wd, double[] lossOut) {
        int n = p.n, h = p.h, batch = x.size();
        double[] f = forward(p, x);
        double[] g = new double[batch];
        double lossSum = 0;
        for (int s = 0; s < batch; s++) {
            lossSum += loss.value(y[s], (float) f[s]);
            g[s] = loss.derivative(y[s], (float) f[s]) / (double) batch;
        }
        double[] w = new double[n * h], b = new double[h], a = new double[h];
        double gc = 0;
        for (int s = 0; s < batch; s++) gc += g[s];
        for (int j = 0; j < h; j++) {
            double ga = 0, gb = 0;
            double[] gw = new double[n];
            for (int s = 0; s < batch; s++) {
                double zj = z(p, x, s, j);
                if (zj > 0) {
                    ga += g[s] * zj;
                    double delta = g[s] * p.a[j];
                    gb += delta;
                    for (int i = 0; i < n; i++) gw[i] += x.sign(s, i) * delta;
                }
            }
            a[j] = p.a[j] - lr2 * (ga + wd * p.a[j]);
            b[j] = p.b[j] - lr1 * (gb + wd * p.b[j]);
            for (int i = 0; i < n; i++) w[i * h + j] = p.w[i * h + j] - lr1 * (gw[i] + wd * p.w[i * h + j]);
        }
        lossOut[0] = lossSum / batch;
        return new Params(n, h, w, b, a, p.c - lr2 * (gc + wd * p.c));
    }
}
