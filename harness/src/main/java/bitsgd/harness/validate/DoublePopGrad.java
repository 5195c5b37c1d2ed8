package bitsgd.harness.validate;

import bitsgd.kernel.mlp.Loss;
import bitsgd.kernel.mlp.Mlp2;
import bitsgd.kernel.popgrad.PopGrad;
import bitsgd.kernel.popgrad.PopTarget;

/**
 * The population gradient of {@link bitsgd.kernel.popgrad.PopGradKernels} in double precision, per input and per
 * parameter with no tables: the brute force the float kernels are checked against. Beside the gradient it returns
 * the mean of |terms| of every entry: the scale of the float kernels' rounding error there.
 */
final class DoublePopGrad {
    private DoublePopGrad() {}

    /**
     * @param scaleB per unit j, E|g·a_j·[z_j &gt; 0]|: the terms of ∂b_j and, as |x_i| = 1, of every ∂W_ij
     * @param scaleA per unit j, E|g·max(z_j, 0)|
     * @param scaleC E|g|
     * @param scaleLoss E|ℓ|
     */
    record Result(PopGrad grad, double[] scaleB, double[] scaleA, double scaleC, double scaleLoss) {}

    static Result compute(Mlp2 net, PopTarget target, Loss loss, double flip) {
        int n = net.n, h = net.h;
        double[] gw = new double[n * h], gb = new double[h], ga = new double[h], z = new double[h];
        double[] sb = new double[h], sa = new double[h];
        double gc = 0, sc = 0, ls = 0, sl = 0, correct = 0;
        for (long u = 0; u < 1L << n; u++) {
            double f = net.c;
            for (int j = 0; j < h; j++) {
                double s = net.b[j];
                for (int i = 0; i < n; i++) s += x(u, i) * net.w[i * h + j];
                z[j] = s;
                f += net.a[j] * Math.max(s, 0);
            }
            double y = target.label(u);
            if (y * f > 0) correct++;
            double g = (1 - flip) * derivative(loss, y, f) + flip * derivative(loss, -y, f);
            double gAbs = (1 - flip) * Math.abs(derivative(loss, y, f)) + flip * Math.abs(derivative(loss, -y, f));
            ls += (1 - flip) * value(loss, y, f) + flip * value(loss, -y, f);
            sl += (1 - flip) * Math.abs(value(loss, y, f)) + flip * Math.abs(value(loss, -y, f));
            gc += g;
            sc += gAbs;
            for (int j = 0; j < h; j++) {
                if (z[j] > 0) {
                    double d = g * net.a[j];
                    gb[j] += d;
                    sb[j] += gAbs * Math.abs(net.a[j]);
                    for (int i = 0; i < n; i++) gw[i * h + j] += x(u, i) * d;
                }
                ga[j] += g * Math.max(z[j], 0);
                sa[j] += gAbs * Math.max(z[j], 0);
            }
        }
        double inv = Math.scalb(1.0, -n);
        for (int k = 0; k < gw.length; k++) gw[k] *= inv;
        for (int j = 0; j < h; j++) {
            gb[j] *= inv;
            ga[j] *= inv;
            sb[j] *= inv;
            sa[j] *= inv;
        }
        PopGrad grad = new PopGrad(n, h, gw, gb, ga, gc * inv, ls * inv, correct * inv, "double");
        return new Result(grad, sb, sa, sc * inv, sl * inv);
    }

    /** x_i of input u: bit i of u is 1 ⇔ x_i = −1. */
    private static double x(long u, int i) {
        return (u >>> i & 1) != 0 ? -1 : 1;
    }

    /** ℓ(y, f) of {@link Loss}, in double. */
    static double value(Loss loss, double y, double f) {
        return switch (loss) {
            case HINGE -> Math.max(0, 1 - y * f);
            case SQUARE -> (y - f) * (y - f);
            case LOGISTIC -> Math.log1p(Math.exp(-y * f));
            case CORRELATION -> -y * f;
        };
    }

    /** ∂ℓ/∂f of {@link Loss}, in double (hinge: −y where y·f ≤ 1, as the float kernels). */
    static double derivative(Loss loss, double y, double f) {
        return switch (loss) {
            case HINGE -> y * f <= 1 ? -y : 0;
            case SQUARE -> 2 * (f - y);
            case LOGISTIC -> -y / (1 + Math.exp(y * f));
            case CORRELATION -> -y;
        };
    }
}
