package bitsgd.kernel.mlp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import bitsgd.kernel.bits.BitBatch;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The scalar reference against an independent double-precision brute force and finite differences. */
class ScalarReferenceTest {

    /** Mean loss over the batch, in double, straight from the definition. */
    static double lossOf(double[] w, double[] b, double[] a, double c, int n, int h, BitBatch x, float[] y, Loss loss) {
        double sum = 0;
        for (int s = 0; s < x.size(); s++) {
            double f = c;
            for (int j = 0; j < h; j++) {
                double z = b[j];
                for (int i = 0; i < n; i++) z += w[i * h + j] * x.sign(s, i);
                f += a[j] * Math.max(z, 0);
            }
            sum += switch (loss) {
                case HINGE -> Math.max(0, 1 - y[s] * f);
                case SQUARE -> (y[s] - f) * (y[s] - f);
                case LOGISTIC -> Math.log1p(Math.exp(-y[s] * f));
                case CORRELATION -> -y[s] * f;
            };
        }
        return sum / x.size();
    }

    static double[] toD(float[] v) {
        double[] d = new double[v.length];
        for (int k = 0; k < v.length; k++) d[k] = v[k];
        return d;
    }

    @Test
    void stepMatchesFiniteDifferenceGradient() {
        SplittableRandom rng = new SplittableRandom(11);
        float lr = 0.05f, wd = 0.01f;
        for (Loss loss : Loss.values()) {
            for (int[] shape : new int[][] {{1, 1, 1}, {3, 4, 5}, {6, 5, 9}}) {
                int n = shape[0], h = shape[1], batch = shape[2];
                Mlp2 net = new Mlp2(n, h);
                for (int k = 0; k < net.w.length; k++) net.w[k] = (float) rng.nextDouble(-1, 1);
                for (int j = 0; j < h; j++) {
                    net.b[j] = (float) rng.nextDouble(-1, 1);
                    net.a[j] = (float) rng.nextDouble(-1, 1);
                }
                net.c = (float) rng.nextDouble(-0.3, 0.3);
                BitBatch x = new BitBatch(n, batch);
                x.fillUniform(rng);
                float[] y = new float[batch];
                for (int s = 0; s < batch; s++) y[s] = rng.nextBoolean() ? 1f : -1f;

                double[] w = toD(net.w), b = toD(net.b), a = toD(net.a);
                double c = net.c;
                double l0 = lossOf(w, b, a, c, n, h, x, y, loss);
                Mlp2 after = net.copy();
                float reported = ScalarMlpKernels.INSTANCE.step(after, x, y, loss, lr, lr, wd,
                        ScalarMlpKernels.INSTANCE.workspace(n, h, batch));
                assertEquals(l0, reported, 1e-5 * Math.max(1, Math.abs(l0)), loss + " loss");

                // implied gradient from the update p' = p − η(g + λp):  g = (p − p')/η − λp
                double eps = 1e-6;
                String tag = loss + " " + n + "x" + h + "x" + batch;
                double[][] params = {w, b, a};
                float[][] before = {net.w, net.b, net.a}, updated = {after.w, after.b, after.a};
                for (int pi = 0; pi < 3; pi++) {
                    double[] p = params[pi];
                    for (int k = 0; k < p.length; k++) {
                        double keep = p[k];
                        p[k] = keep + eps;
                        double lp = lossOf(w, b, a, c, n, h, x, y, loss);
                        p[k] = keep - eps;
                        double lm = lossOf(w, b, a, c, n, h, x, y, loss);
                        p[k] = keep;
                        double fd = (lp - lm) / (2 * eps);
                        double implied = ((double) before[pi][k] - updated[pi][k]) / lr - wd * before[pi][k];
                        // float update rounding /η, plus the FD error (hinge/relu kinks are measure-zero here)
                        assertEquals(fd, implied, 2e-4 * Math.max(1, Math.abs(fd)), tag + " param " + pi + "[" + k + "]");
                    }
                }
                double fdc = (lossOf(w, b, a, c + eps, n, h, x, y, loss) - lossOf(w, b, a, c - eps, n, h, x, y, loss)) / (2 * eps);
                double impliedC = ((double) net.c - after.c) / lr - wd * net.c;
                assertEquals(fdc, impliedC, 2e-4 * Math.max(1, Math.abs(fdc)), tag + " c");
            }
        }
    }
}
