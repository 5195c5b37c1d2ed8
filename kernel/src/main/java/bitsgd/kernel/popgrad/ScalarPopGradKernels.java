package bitsgd.kernel.popgrad;

import bitsgd.kernel.mlp.Loss;
import bitsgd.kernel.mlp.Mlp2;

/** The reference: the per-block loops of {@link PopGradKernels} as plain scalar loops, in float like the vector twin. */
public final class ScalarPopGradKernels implements PopGradKernels, Enumeration.BlockOps {

    public static final ScalarPopGradKernels INSTANCE = new ScalarPopGradKernels();

    private ScalarPopGradKernels() {}

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public PopGrad compute(Mlp2 net, PopTarget target, Loss loss, double flip) {
        return Enumeration.run(name(), this, net, target, loss, flip);
    }

    @Override
    public int stride(int h) {
        return h;
    }

    @Override
    public void base(Mlp2 net, int lowBits, long q, float[] base) {
        int n = net.n, h = net.h;
        System.arraycopy(net.b, 0, base, 0, h);
        for (int i = lowBits; i < n; i++) {
            int row = i * h;
            if ((q >>> (i - lowBits) & 1) != 0) {
                for (int j = 0; j < h; j++) base[j] -= net.w[row + j];
            } else {
                for (int j = 0; j < h; j++) base[j] += net.w[row + j];
            }
        }
    }

    @Override
    public void forward(float[] base, float[] table, float[] a, float c, int inputs, int h, float[] f) {
        for (int p = 0; p < inputs; p++) {
            int row = p * h;
            float s = 0f;
            for (int j = 0; j < h; j++) s += a[j] * Math.max(base[j] + table[row + j], 0f);
            f[p] = c + s;
        }
    }

    @Override
    public void backward(float[] base, float[] table, float[] g, int inputs, int h, float[] d, float[] e, float[] ga) {
        java.util.Arrays.fill(e, 0, h, 0f);
        java.util.Arrays.fill(ga, 0, h, 0f);
        for (int p = 0; p < inputs; p++) {
            int row = p * h;
            float gp = g[p];
            for (int j = 0; j < h; j++) {
                float z = base[j] + table[row + j];
                if (z > 0f) {
                    d[row + j] += gp;
                    e[j] += gp;
                    ga[j] += gp * z;
                }
            }
        }
    }
}
